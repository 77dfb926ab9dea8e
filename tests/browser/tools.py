"""Where the browser tests find their tools, and which of them are missing.

Chromium and Java come from Debian (`apt-get install chromium default-jre-headless`),
axe-core and the Nu HTML checker (vnu.jar) from `npm ci` (package.json at the top of the
repository), Playwright from PyPI. `.ci/run` installs all of them.
"""

import importlib.util
import shutil
from pathlib import Path

from ..browser_support import chromium_path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "artifacts"


def missing_browser_tools() -> list[str]:
    missing = []
    if not chromium_path():
        missing.append("chromium on PATH")
    if not shutil.which("java"):
        missing.append("java on PATH")
    if not importlib.util.find_spec("playwright"):
        missing.append("the playwright package")
    for tool in (AXE_JS, VNU_JAR):
        if not tool.exists():
            missing.append(str(tool.relative_to(ROOT)) + " (npm ci)")
    return missing
