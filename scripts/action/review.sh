#!/usr/bin/env bash
# The GitHub Action's review step (action.yml), runnable anywhere: reviews INPUT_PATH into INPUT_OUTPUT, writes the
# Markdown review to the job summary, records the exit code for the last step, and never fails by itself so that
# the SARIF upload and the artifact still run.
#   INPUT_PATH, INPUT_FORMATS, INPUT_OUTPUT, INPUT_FAIL_ON, INPUT_BASELINE, INPUT_FAIL_ON_NEW: the action's inputs
#   ARCHSCOPE: the command to run (default: node <this repository>/bin/archscope.js)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT: files GitHub provides (ignored when unset)
set -uo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
archscope="${ARCHSCOPE:-node $here/bin/archscope.js}"
path="${INPUT_PATH:-.}"
output="${INPUT_OUTPUT:-archscope-report}"
formats="${INPUT_FORMATS:-md,json,sarif,html}"
# the summary and the code-scanning upload need the Markdown and SARIF reports whatever else was asked for
case ",$formats," in *,md,*) ;; *) formats="$formats,md" ;; esac
case ",$formats," in *,sarif,*) ;; *) formats="$formats,sarif" ;; esac
args=(review "$path" --format "$formats" --output "$output" --quiet)
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_FAIL_ON_NEW:-}" ] && args+=(--fail-on-new "$INPUT_FAIL_ON_NEW")
# shellcheck disable=SC2086
$archscope "${args[@]}"
code=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$output/archscope-report.md" ]; then
  cat "$output/archscope-report.md" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "sarif=$output/archscope-report.sarif"
    echo "report-dir=$output"
  } >> "$GITHUB_OUTPUT"
fi
echo "archscope exited with $code"
exit 0
