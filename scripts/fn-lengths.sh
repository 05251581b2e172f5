#!/usr/bin/env bash
# Lists the functions in src/ longer than a number of lines (default 100),
# longest first, and prints how many there are. A report, not a check: it
# never fails. It relies on rustfmt's layout (a function's closing brace
# sits alone on a line at the indentation of its `fn`), which
# `cargo fmt --check` keeps true.
#
#   scripts/fn-lengths.sh [LINES] [DIR]
set -euo pipefail
limit="${1:-100}"
dir="${2:-src}"
find "$dir" -name '*.rs' | sort | while read -r file; do
  awk -v file="$file" '
    function indent(s) { match(s, /^ */); return RLENGTH }
    {
      line[NR] = $0
    }
    END {
      for (i = 1; i <= NR; i++) {
        s = line[i]
        if (s !~ /^ *((pub(\([a-z:]+\))? )?(const )?(async )?(unsafe )?(extern "[^"]*" )?)fn [A-Za-z_][A-Za-z0-9_]*/) continue
        ind = indent(s)
        # The signature may run over several lines; find where the body opens.
        j = i
        while (j <= NR && line[j] !~ /\{ *$/ && line[j] !~ /[;}] *$/) j++
        if (j > NR || line[j] !~ /\{ *$/) continue
        close_ = sprintf("%" ind "s}", "")
        if (ind == 0) close_ = "}"
        for (k = j + 1; k <= NR; k++) if (line[k] == close_) break
        if (k > NR) continue
        n = k - i + 1
        name = s; sub(/^.*fn /, "", name); sub(/[^A-Za-z0-9_].*$/, "", name)
        printf "%d\t%s:%d\t%s\n", n, file, i, name
      }
    }' "$file"
done | sort -rn | awk -v limit="$limit" '
  $1 > limit { print; n++ }
  END { printf "%d functions over %d lines\n", n, limit }'
