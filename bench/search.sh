#!/usr/bin/env bash
# Compares CodexPro's search engine (mcpd/search) with ripgrep on the same
# tree, the same options and the same queries, and prints the ratios
# (ours / rg; below 1.0 means we are faster). Wall time is the median of
# RUNS runs; CPU time (user + system) is reported too because it is steadier
# on a shared machine.
#
#   bench/search.sh [TREE]     default TREE: $(go env GOROOT)/src
#   RUNS=15 bench/search.sh
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$(go env GOROOT)/src}
runs=${RUNS:-10}
max_file=720000 # min(2 MB, 4 x the default CODEXPRO_MAX_READ_BYTES), as mcpd uses

if ! command -v rg >/dev/null; then
	echo "ripgrep is not installed (apt-get install ripgrep); nothing to compare" >&2
	exit 1
fi

# The names and patterns of BenchmarkSearchGoroot, with rg's equivalent flags.
# "literal-cold" is a search with no engine cache (a server's first search).
queries=(
	"literal-cold|-F|ErrUnexpectedEOF"
	"literal|-F|ErrUnexpectedEOF"
	"fold|-F -i|errunexpectedeof"
	"regex||func \\(\\w+ \\*Reader\\) Read\\w*"
	"regex-alt||ErrShortWrite|ErrShortBuffer|ErrNoProgress"
	"regex-noliteral||\\d{6}\\.\\d+e"
)

# The workspace guard never searches blocked paths; rg is told the same.
blocked=(.git node_modules .env '.env.*' '*.pem' '*.key' id_rsa 'id_rsa.*' id_ed25519 'id_ed25519.*'
	.ssh dist build .next coverage .cache .aws .gnupg .netrc .npmrc .pypirc .git-credentials
	'id_ecdsa*' 'id_dsa*' '*.p12' '*.pfx' '*.keystore' '*.jks' 'terraform.tfstate*' credentials.json
	.codexpro '**/.docker/config.json' '**/.kube/config')
rg_globs=(--glob-case-insensitive)
for g in "${blocked[@]}"; do rg_globs+=(-g "!$g"); done

# median prints the middle value of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "tree: $tree ($(find "$tree" -type f | wc -l) files), runs: $runs, $(nproc) CPUs"
echo "building and running the Go benchmark..."
gobench=$(cd "$here/mcpd" && CODEXPRO_BENCH_TREE=$tree go test -run '^$' \
	-bench '^BenchmarkSearchGoroot$' -benchtime 1x -count "$runs" ./search/ 2>&1) || {
	echo "$gobench" >&2
	exit 1
}

printf '\n%-16s %10s %10s %8s %10s %10s %8s %8s %8s\n' query ours_ms rg_ms wall_x ours_cpu rg_cpu cpu_x ours_n rg_n
for q in "${queries[@]}"; do
	IFS='|' read -r name flags pattern <<<"${q%%|*}|$(cut -d'|' -f2 <<<"$q")|$(cut -d'|' -f3- <<<"$q")"
	lines=$(grep -E "BenchmarkSearchGoroot/${name}-[0-9]+ " <<<"$gobench" || true)
	if [[ -z $lines ]]; then
		echo "no Go result for $name" >&2
		continue
	fi
	field() { awk -v f="$1" -v d="$2" '{for (i=1;i<=NF;i++) if ($i==f) printf "%.1f\n", $(i-1)/d}' <<<"$lines"; }
	# shellcheck disable=SC2046 # one value per run
	ours_ms=$(median $(field ns/op 1e6))
	# shellcheck disable=SC2046
	ours_cpu=$(median $(field cpu-ms/op 1))
	ours_n=$(field matches 1 | head -1)
	walls=() cpus=()
	# shellcheck disable=SC2086 # flags are deliberately split
	rg_n=$(cd "$tree" && rg --no-require-git --no-heading -n --max-filesize "$max_file" "${rg_globs[@]}" $flags -e "$pattern" . | wc -l)
	for _ in $(seq "$runs"); do
		TIMEFORMAT='%R %U %S'
		t=$({ time (cd "$tree" && rg --no-require-git --no-heading -n --max-filesize "$max_file" \
			"${rg_globs[@]}" $flags -e "$pattern" . >/dev/null); } 2>&1)
		read -r real user sys <<<"$t"
		walls+=("$(awk -v r="$real" 'BEGIN {printf "%.1f", r*1000}')")
		cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", (u+s)*1000}')")
	done
	rg_ms=$(median "${walls[@]}")
	rg_cpu=$(median "${cpus[@]}")
	awk -v n="$name" -v o="$ours_ms" -v r="$rg_ms" -v oc="$ours_cpu" -v rc="$rg_cpu" -v on="$ours_n" -v rn="$rg_n" \
		'BEGIN {printf "%-16s %10.1f %10.1f %8.2f %10.1f %10.1f %8.2f %8d %8d\n", n, o, r, o/r, oc, rc, (rc>0 ? oc/rc : 0), on, rn}'
done
echo
echo "medians of $runs runs each, warm page cache; _x = ours / rg"
echo "ours_n/rg_n: matching lines (ours stops at 2000; rg's \\w and \\d are Unicode-aware, Go's are ASCII)"
