#!/usr/bin/env python3
"""Copy the browser libraries the web pages use from npm packages into the Python package.

    python scripts/vendor_web_assets.py            # npm ci (in a temporary folder), then copy
    python scripts/vendor_web_assets.py --check    # verify the vendored files against the manifest

The versions are pinned in ``scripts/web-assets/package.json`` (exact versions) and its
``package-lock.json``.  The files land in ``src/newsevents/web/static/vendor/<package>/`` with the
package's licence, and ``vendor/MANIFEST.json`` records package, version, licence and the SHA-256
of every file; ``vendor/THIRD_PARTY_LICENSES.txt`` collects the licences of every package npm
installed for them (the bundles embed d3 modules and other dependencies).  Nothing is fetched at
run time: the pages load these files from the server itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NPM_DIR = ROOT / "scripts" / "web-assets"
VENDOR = ROOT / "src" / "newsevents" / "web" / "static" / "vendor"

# package -> files to copy (paths inside the npm package)
FILES = {
    "vega": ["build/vega.min.js"],
    "vega-lite": ["build/vega-lite.min.js"],
    "vega-embed": ["build/vega-embed.min.js"],
    "world-atlas": ["countries-110m.json"],
    "swagger-ui-dist": ["swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui.css", "NOTICE"],
}
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license", "License.md")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def licence_file(pkg_dir: Path) -> Path | None:
    for name in LICENCE_NAMES:
        if (pkg_dir / name).is_file():
            return pkg_dir / name
    return None


def npm_install(workdir: Path) -> Path:
    """``npm ci`` of the pinned packages in ``workdir`` (not in the repository); their node_modules."""
    if shutil.which("npm") is None:
        sys.exit("npm is not installed (Debian: apt-get install npm)")
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(NPM_DIR / name, workdir / name)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=workdir, check=True)
    return workdir / "node_modules"


def vendor(modules: Path) -> dict:
    pinned = json.loads((NPM_DIR / "package.json").read_text())["dependencies"]
    if set(pinned) != set(FILES):
        sys.exit(f"package.json and FILES disagree: {sorted(set(pinned) ^ set(FILES))}")
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    manifest: dict = {"generated_by": "scripts/vendor_web_assets.py", "packages": {}}
    for pkg, files in FILES.items():
        src = modules / pkg
        meta = json.loads((src / "package.json").read_text())
        if meta["version"] != pinned[pkg]:
            sys.exit(f"{pkg}: node_modules has {meta['version']}, package.json pins {pinned[pkg]} (run npm ci)")
        dest = VENDOR / pkg
        dest.mkdir(parents=True)
        lic = licence_file(src)
        if lic is None:
            sys.exit(f"{pkg}: no licence file")
        copied = {}
        for rel in [*files, lic.name]:
            target = dest / Path(rel).name
            shutil.copyfile(src / rel, target)
            copied[target.name] = sha256(target)
        manifest["packages"][pkg] = {"version": meta["version"], "license": meta.get("license"),
                                     "homepage": meta.get("homepage"), "files": copied}
    # licences of everything npm installed for these packages (bundled into the builds)
    parts = []
    for pkg_json in sorted(modules.glob("**/package.json")):
        pkg_dir = pkg_json.parent
        if pkg_dir.parent.name not in ("node_modules",) and not pkg_dir.parent.name.startswith("@"):
            continue
        try:
            meta = json.loads(pkg_json.read_text())
        except (ValueError, UnicodeDecodeError):
            continue
        if "name" not in meta or "version" not in meta:
            continue
        lic = licence_file(pkg_dir)
        text = lic.read_text(encoding="utf-8", errors="replace").strip() if lic else f"License: {meta.get('license')}"
        parts.append(f"{'=' * 78}\n{meta['name']}@{meta['version']} ({meta.get('license')})\n{'=' * 78}\n{text}\n")
    (VENDOR / "THIRD_PARTY_LICENSES.txt").write_text(
        "Licences of the npm packages installed to build the vendored browser files\n"
        "(scripts/web-assets/package-lock.json lists them with their versions).\n\n" + "\n".join(parts),
        encoding="utf-8")
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check() -> int:
    """0 when every vendored file is present with the recorded hash, else 1 (with the reasons)."""
    path = VENDOR / "MANIFEST.json"
    if not path.is_file():
        print(f"{path}: missing (run scripts/vendor_web_assets.py)")
        return 1
    manifest = json.loads(path.read_text())
    bad = []
    for pkg, info in manifest["packages"].items():
        for name, digest in info["files"].items():
            f = VENDOR / pkg / name
            if not f.is_file():
                bad.append(f"{f}: missing")
            elif sha256(f) != digest:
                bad.append(f"{f}: changed since vendoring")
    for b in bad:
        print(b)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only verify the vendored files")
    ap.add_argument("--node-modules", type=Path, help="use this node_modules folder instead of running npm ci")
    a = ap.parse_args(argv)
    if a.check:
        return check()
    if a.node_modules:
        m = vendor(a.node_modules)
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="newsevents-web-assets-") as tmp:
            m = vendor(npm_install(Path(tmp)))
    for pkg, info in m["packages"].items():
        print(f"{pkg}@{info['version']} ({info['license']}): {', '.join(info['files'])}")
    return check()


if __name__ == "__main__":
    sys.exit(main())
