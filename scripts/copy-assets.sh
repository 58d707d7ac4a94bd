#!/usr/bin/env bash
# Copy the front-end assets installed by npm into the git-ignored static/vendor folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
rm -rf "$dest"
mkdir -p "$dest/bootstrap" "$dest/bootstrap-icons" "$dest/htmx" "$dest/echarts"
# The source maps too: the minified files name them, and collectstatic checks that.
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$dest/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp -r node_modules/bootstrap-icons/font/fonts "$dest/bootstrap-icons/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
