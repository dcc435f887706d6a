"""The web page `huanjie serve` gives at `/`: static files only (index.html, app.js, style.css), no
build step; the page stands on the documented /v1 API alone."""
