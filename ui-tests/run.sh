#!/usr/bin/env bash
# Galata browser tests of the workbench on a freshly built demo project.
#
# Needs on PATH: the Python environment with jupyterlab and this package (CI activates the
# venv first), jlpm, and Debian's /usr/bin/chromium (or CHROMIUM_PATH).
# Extra arguments go to `playwright test` (e.g. `./run.sh -g filter`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ -z "${DBT_WORKBENCH_UI_ROOT:-}" ]]; then
    demo_parent="$(mktemp -d -t dbt-workbench-ui-XXXXXX)"
    trap 'rm -rf "$demo_parent"' EXIT
    export DBT_WORKBENCH_UI_ROOT="$demo_parent/demo"
    echo "Preparing the demo project in $DBT_WORKBENCH_UI_ROOT"
    jupyter-dbt-workbench demo "$DBT_WORKBENCH_UI_ROOT" --prepare-only
fi

jlpm install
jlpm playwright test "$@"
