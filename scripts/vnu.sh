#!/bin/sh
# The Nu Html Checker (npm vnu-jar, run with the machine's Java) on files, folders or URLs,
# errors only: `sh scripts/vnu.sh page.html` or `sh scripts/vnu.sh http://127.0.0.1:5000/`.
# The browser tests run the same checker on every page of the crawl
# (tests/browser/test_html_valid.py); this is for checking one page by hand.
set -eu
JAR="$(dirname "$0")/../node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$JAR" ]; then
  echo "vnu.sh: $JAR is missing; run npm ci" >&2
  exit 1
fi
if ! command -v java >/dev/null 2>&1; then
  echo "vnu.sh: java is missing (Java 11 or later)" >&2
  exit 1
fi
exec java -Xss8m -jar "$JAR" --errors-only "$@"
