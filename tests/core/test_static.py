import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders


def test_every_static_file_of_the_base_template_is_there():
    base = Path(settings.PACKAGE_DIR, "templates", "base.html").read_text(encoding="utf-8")
    paths = re.findall(r"{% static '([^']+)' %}", base)
    assert "govqms/govqms.css" in paths and "vendor/htmx/htmx.min.js" in paths
    missing = [p for p in paths if finders.find(p) is None]
    assert not missing, f"static files not found (npm assets not installed?): {missing}"
