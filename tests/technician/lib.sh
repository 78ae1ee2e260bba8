# What the technician suite's scripts share (sourced, POSIX sh, after world.sh): the
# caller sets tmp and pids, and the programs run in $tmp/out and $tmp/err.

# fail WHY: the reason and the tails of what ran, then exit 1
fail() {
	echo "FAIL: $*"
	for f in "$tmp"/out "$tmp"/err "$tmp"/*.log; do
		[ -f "$f" ] && echo "--- $f" && tail -25 "$f"
	done
	exit 1
}
# expect CODE CMD...: runs CMD (stdout in $tmp/out, stderr in $tmp/err), checks its exit code
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
}
