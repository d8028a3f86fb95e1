#!/bin/sh
# embed.sh IN OUT: IN as the body of a C string literal, one line each.
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$1" >"$2"
