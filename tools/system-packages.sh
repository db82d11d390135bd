#!/usr/bin/env bash
# The system tools some of procreg's features need, which pip cannot install: Graphviz (DOT renders),
# LibreOffice Writer and Calc with the Liberation fonts (.doc/.rtf, the report's PDF, spreadsheet checks),
# OCRmyPDF with Tesseract's Vietnamese model and Ghostscript (scans), Chromium (the web page's browser
# tests) and Poppler's tools. `make test` and `make demo` run this first: as root on Debian or Ubuntu it
# installs what is missing with apt-get; elsewhere it names what is missing in one line (the features
# still work without them, and their tests skip). Set PROCREG_NO_APT=1 to never install. Quick when all
# is there: it only asks dpkg.
set -uo pipefail

# Messages in procreg's language: PROCREG_LANG, else English for an English locale, else Vietnamese.
language=vi
for value in "${PROCREG_LANG:-}" "${LC_ALL:-}" "${LC_MESSAGES:-}" "${LANG:-}"; do
    if [ -n "$value" ]; then
        case "$value" in en*) language=en ;; esac
        break
    fi
done
say() { if [ "$language" = en ]; then echo "procreg: $2"; else echo "procreg: $1"; fi; }

tools=(graphviz libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation chromium poppler-utils)
ocr=(ocrmypdf tesseract-ocr-vie ghostscript)  # without recommends: OCRmyPDF's pull in a TeX toolchain

if ! command -v dpkg-query >/dev/null 2>&1; then
    say "không phải hệ thống Debian; hãy tự cài Graphviz, LibreOffice, OCRmyPDF với mô hình tiếng Việt của Tesseract, Chromium và Poppler (các bài kiểm thử cần chúng sẽ được bỏ qua nếu thiếu)" \
        "not a Debian system; install Graphviz, LibreOffice, OCRmyPDF with Tesseract's Vietnamese model, Chromium and Poppler yourself (their tests skip without them)"
    exit 0
fi

missing() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || printf '%s\n' "$package"
    done
}
mapfile -t want_tools < <(missing "${tools[@]}")
mapfile -t want_ocr < <(missing "${ocr[@]}")
want=("${want_tools[@]}" "${want_ocr[@]}")
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || [ -n "${PROCREG_NO_APT:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "chưa cài: ${want[*]} (sudo apt-get install ${want[*]}); các bài kiểm thử cần chúng sẽ được bỏ qua" \
        "not installed: ${want[*]} (sudo apt-get install ${want[*]}); the tests that need them skip"
    exit 0
fi
say "đang cài ${want[*]} bằng apt-get (vài phút, một lần)" "installing ${want[*]} with apt-get (a few minutes, once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || true
if [ ${#want_tools[@]} -gt 0 ]; then
    apt-get install -y -qq "${want_tools[@]}" >/dev/null \
        || say "không cài được ${want_tools[*]}; các bài kiểm thử cần chúng sẽ được bỏ qua" \
            "could not install ${want_tools[*]}; the tests that need them skip"
fi
if [ ${#want_ocr[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends "${want_ocr[@]}" >/dev/null \
        || say "không cài được ${want_ocr[*]}; các bài kiểm thử OCR sẽ được bỏ qua" \
            "could not install ${want_ocr[*]}; the OCR tests skip"
fi
exit 0
