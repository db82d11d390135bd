#!/usr/bin/env bash
# procreg walk-through on the department's illustrative samples (TÀI LIỆU MINH HỌA).
# Draft: the lead finalises. Run from anywhere; outputs go to demo-out/ at the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCREG=${PROCREG:-.venv/bin/procreg}
OUT=demo-out
rm -rf "$OUT"
mkdir -p "$OUT"
export PROCREG_HOME="$OUT/home"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ procreg %s\n' "$*"; "$PROCREG" "$@"; }

step "1. Ingest the 2023 reform plan, two publishing decisions (.docx and .pdf) and the review report"
run ingest samples/kh-01-sngv-2023-cchc.txt \
    samples/qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx \
    samples/qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf \
    samples/bc-18-sngv-2023_ra-soat-tthc-noibo.docx

step "1b. The same decisions in their other format: recognised, counted once"
run ingest samples/qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.pdf \
    samples/qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.docx

step "2. The plan's targets, with what procreg measures"
run targets

step "3. Audit 2023 as things stood on 30/6/2023 (before the second half-year's work)"
run audit --period 2023 --as-of 2023-06-30 || true

step "4. Record the second half-year's work: reviews and a publication on the portal"
run review QT.NV.02 --on 2023-07-20 --by "Văn phòng - Thanh tra Sở" --note "rà soát 6 tháng cuối năm"
run review QT.NV.04 --on 2023-07-20 --by "Văn phòng - Thanh tra Sở"
run publicize QT.NV.03 --on 2023-05-04 --where "https://songoaivu.hatinh.gov.vn/thu-tuc-hanh-chinh-noi-bo"

step "5. Audit 2023 against the plan's 90% target (QT.NV.04 is still not publicized)"
run audit --period 2023 || true
run audit --period 2023 --fail-under 90 >/dev/null || echo "(exit code $?: below the target)"

step "6. Report settings: who issues the report, where, and who signs it (printed in the docx)"
run config set agency "Sở Ngoại vụ"
run config set parent_agency "UBND tỉnh Hà Tĩnh"
run config set place "Hà Tĩnh"
run config set report_symbol "SNgV"
run config set signer_position "GIÁM ĐỐC"
run config set signer_name "Nguyễn Văn Minh (tên minh họa)"
run config set recipients "UBND tỉnh (để b/c); Sở Nội vụ; Lãnh đạo Sở; Lưu: VT, VPTTr"

step "7. The official report (Nghị định 30/2020): agency and motto blocks, Số …/BC-SNgV, Nơi nhận, signature"
run audit --period 2023 --date 2023-12-31 --format docx -o "$OUT/bao-cao-ra-soat-2023.docx"
"$(dirname "$PROCREG")/python" samples/show_report.py "$OUT/bao-cao-ra-soat-2023.docx"

step "8. The same report for the browser (prints on A4), a spreadsheet, CSV and JSON"
run audit --period 2023 --date 2023-12-31 --format html -o "$OUT/bao-cao-ra-soat-2023.html"
run audit --period 2023 --date 2023-12-31 -o "$OUT/bao-cao-ra-soat-2023.xlsx"
run audit --period 2023 --csv -o "$OUT/bao-cao-ra-soat-2023.csv"
run audit --period 2023 --json -o "$OUT/bao-cao-ra-soat-2023.json"

step "9. Flow diagrams: QT.NV.01 (one lane per unit), and all procedures with a gallery"
run diagram QT.NV.01 -o "$OUT/qt-nv-01.svg"
run diagram QT.NV.04 --format mermaid
run diagram --all --out-dir "$OUT/so-do"

step "10. Search, accent-insensitive"
run search "hoi nghi quoc te" || true

step "11. Integrity: the event history is a hash chain; procreg check verifies it"
run check
# The same registry, copied, then edited with the sqlite3 module behind procreg's back (a review's
# reviewer and date rewritten): procreg check names the first bad event and exits 5.
cp -r "$PROCREG_HOME" "$OUT/home-sua-tay"
PYTHON=${PYTHON:-$(dirname "$PROCREG")/python}
"$PYTHON" tests/fixtures/tamper.py "$OUT/home-sua-tay/registry.db" rewrite 5
run --home "$OUT/home-sua-tay" check || echo "(exit code $?: the history was changed)"
run --home "$OUT/home-sua-tay" show QT.NV.02 | sed -n '/^Lịch sử:/,$p'

step "12. The office's web page over this registry (not started here: run the command, open the address)"
echo "  PROCREG_HOME=$PROCREG_HOME $PROCREG serve"
echo "  then open http://127.0.0.1:8000/ (Ctrl+C stops it; English: PROCREG_LANG=en)"

step "Outputs"
ls -1 "$OUT"
echo "registry: $PROCREG_HOME"
echo "official report: $OUT/bao-cao-ra-soat-2023.docx"
