#!/usr/bin/env bash
# procreg walk-through on the department's illustrative samples (TÀI LIỆU MINH HỌA), in Vietnamese from
# start to end: the step titles here, procreg's messages by its default language. Run from anywhere;
# outputs go to demo-out/ at the repository root (PROCREG_DEMO_OUT names another folder).
set -euo pipefail
cd "$(dirname "$0")/.."

PROCREG=${PROCREG:-.venv/bin/procreg}
OUT=${PROCREG_DEMO_OUT:-demo-out}
rm -rf "$OUT"
mkdir -p "$OUT"
export PROCREG_HOME="$OUT/home"
export PROCREG_LANG=${PROCREG_LANG:-vi}  # Vietnamese, whatever the machine's LANG says

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ procreg %s\n' "$*"; "$PROCREG" "$@"; }

step "1. Nạp kế hoạch CCHC năm 2023, hai quyết định công bố (.docx và .pdf) và báo cáo rà soát"
run ingest samples/kh-01-sngv-2023-cchc.txt \
    samples/qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx \
    samples/qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf \
    samples/bc-18-sngv-2023_ra-soat-tthc-noibo.docx

step "1b. Cùng hai quyết định ở định dạng kia: được nhận ra, chỉ tính một lần"
run ingest samples/qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.pdf \
    samples/qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.docx

step "2. Các chỉ tiêu của kế hoạch, kèm giá trị procreg đo được"
run targets

step "3. Đánh giá năm 2023 tính đến ngày 30/6/2023 (trước các việc của 6 tháng cuối năm)"
run audit --period 2023 --as-of 2023-06-30 || true

step "4. Ghi nhận các việc 6 tháng cuối năm: rà soát và công khai trên cổng thông tin"
run review QT.NV.02 --on 2023-07-20 --by "Văn phòng - Thanh tra Sở" --note "rà soát 6 tháng cuối năm"
run review QT.NV.04 --on 2023-07-20 --by "Văn phòng - Thanh tra Sở"
run publicize QT.NV.03 --on 2023-05-04 --where "https://songoaivu.hatinh.gov.vn/thu-tuc-hanh-chinh-noi-bo"

step "5. Đánh giá năm 2023 theo chỉ tiêu 90% của kế hoạch (QT.NV.04 vẫn chưa công khai)"
run audit --period 2023 || true
run audit --period 2023 --fail-under 90 >/dev/null || echo "(mã thoát $?: thấp hơn chỉ tiêu)"

step "6. Thiết lập báo cáo: cơ quan ban hành, địa danh, người ký (in trong tệp docx)"
run config set agency "Sở Ngoại vụ"
run config set parent_agency "UBND tỉnh Hà Tĩnh"
run config set place "Hà Tĩnh"
run config set report_symbol "SNgV"
run config set signer_position "GIÁM ĐỐC"
run config set signer_name "Nguyễn Văn Minh (tên minh họa)"
run config set recipients "UBND tỉnh (để b/c); Sở Nội vụ; Lãnh đạo Sở; Lưu: VT, VPTTr"

step "7. Báo cáo chính thức (Nghị định 30/2020): tên cơ quan, quốc hiệu, Số …/BC-SNgV, Nơi nhận, chữ ký"
run audit --period 2023 --date 2023-12-31 --format docx -o "$OUT/bao-cao-ra-soat-2023.docx"
"$(dirname "$PROCREG")/python" samples/show_report.py "$OUT/bao-cao-ra-soat-2023.docx"

step "8. Cùng báo cáo cho trình duyệt (in khổ A4), bảng tính, CSV và JSON"
run audit --period 2023 --date 2023-12-31 --format html -o "$OUT/bao-cao-ra-soat-2023.html"
run audit --period 2023 --date 2023-12-31 -o "$OUT/bao-cao-ra-soat-2023.xlsx"
run audit --period 2023 --csv -o "$OUT/bao-cao-ra-soat-2023.csv"
run audit --period 2023 --json -o "$OUT/bao-cao-ra-soat-2023.json"

step "9. Sơ đồ quy trình: QT.NV.01 (mỗi đơn vị một làn), và mọi quy trình kèm trang tổng hợp"
run diagram QT.NV.01 -o "$OUT/qt-nv-01.svg"
run diagram QT.NV.04 --format mermaid
run diagram --all --out-dir "$OUT/so-do"

step "10. Tìm kiếm, gõ có dấu hay không dấu đều được"
run search "hoi nghi quoc te" || true

step "11. Toàn vẹn: lịch sử sự kiện là một chuỗi băm; procreg check kiểm tra chuỗi này"
run check
# The same registry, copied, then edited with the sqlite3 module behind procreg's back (a review's
# reviewer and date rewritten): procreg check names the first bad event and exits 5.
cp -r "$PROCREG_HOME" "$OUT/home-sua-tay"
PYTHON=${PYTHON:-$(dirname "$PROCREG")/python}
"$PYTHON" tests/fixtures/tamper.py "$OUT/home-sua-tay/registry.db" rewrite 5 >/dev/null
echo "(bản sao $OUT/home-sua-tay: sự kiện #5 bị sửa tay bằng sqlite3, ngoài procreg)"
run --home "$OUT/home-sua-tay" check || echo "(mã thoát $?: lịch sử đã bị sửa)"
run --home "$OUT/home-sua-tay" show QT.NV.02 | sed -n '/^Lịch sử:/,$p'

step "12. Trang web của văn phòng trên sổ đăng ký này (không khởi động ở đây: chạy lệnh rồi mở địa chỉ)"
echo "  PROCREG_HOME=$PROCREG_HOME $PROCREG serve"
echo "  rồi mở http://127.0.0.1:8000/ (Ctrl+C để dừng; tiếng Anh: PROCREG_LANG=en)"

step "Kết quả"
ls -1 "$OUT"
echo "sổ đăng ký: $PROCREG_HOME"
echo "báo cáo chính thức: $OUT/bao-cao-ra-soat-2023.docx"
