#!/bin/sh
# Compile GOV.UK Frontend with our font stack and copy the files the pages use.
set -eu
BUILD=engage/static/build
rm -rf "$BUILD"
mkdir -p "$BUILD/assets" "$BUILD/symbols"
npx --no-install sass --load-path=node_modules --load-path=frontend --no-source-map \
  --style=compressed --quiet-deps frontend/engage.scss "$BUILD/engage.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$BUILD/"
# The update editor (Tiptap) bundled into one file of our own: no CDN at run time.
npx --no-install esbuild frontend/editor.js --bundle --minify --format=esm --target=es2020 \
  --legal-comments=eof --log-level=warning --outfile="$BUILD/editor.js"
cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json "$BUILD/assets/"
# No GDS Transport font and no crown images: this is not a GOV.UK service.
if grep -q "GDS Transport" "$BUILD/engage.css"; then
  echo "build_assets: GDS Transport found in CSS" >&2
  exit 1
fi
if [ -d node_modules/openmoji/color/svg ]; then
  cp node_modules/openmoji/color/svg/*.svg "$BUILD/symbols/"
fi
# Keyword index of the symbols, so staff can search them and every symbol has alt text.
python3 scripts/build_symbols.py
echo "Built $BUILD"
