# Driving the kiosk by touch where its own layout put each button (sourced, POSIX sh): the
# running kiosk says through its control socket (admctl screen) what is on screen and
# where every button is; a click goes to the button's centre in the kiosk's X window
# (xdotool), and the kiosk's answer is awaited before the next touch. Used by the
# end-to-end tests and by tools/demo.sh.
# The caller sets touch_admctl (the admctl program), touch_conf (the kiosk's config, with
# [kiosk] control), touch_dir (a scratch folder) and touch_win (the kiosk's X window,
# touch_window finds it).

# touch_xvfb FIRST LAST WxH LOG: a private X server on the first free display in
# FIRST..LAST, DISPLAY exported, its pid in touch_xvfb_pid; false when it is not up in 5 s
touch_xvfb() {
	for d in $(seq "$1" "$2"); do
		[ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || break
	done
	Xvfb ":$d" -screen 0 "$3x24" -nolisten tcp >"$4" 2>&1 &
	touch_xvfb_pid=$!
	i=0
	until [ -e "/tmp/.X11-unix/X$d" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && return 1
		sleep 0.1
	done
	export DISPLAY=":$d"
}

# touch_screen: the screen now in $touch_dir/screen.json; false when the kiosk does not answer
touch_screen() {
	"$touch_admctl" screen --config "$touch_conf" --json >"$touch_dir/screen.json" \
		2>"$touch_dir/screen.err"
}

# touch_window SECONDS: touch_win, the kiosk's window on the X server
touch_window() {
	i=0
	until touch_win=$(xdotool search --name "Anjungan Dukcapil Mandiri" 2>/dev/null | head -n1) &&
		[ -n "$touch_win" ]; do
		i=$((i + 1))
		[ $i -gt $(($1 * 10)) ] && return 1
		sleep 0.1
	done
}

# touch_state: the state on screen (attract, verify, documents, ...)
touch_state() { touch_screen && jq -r .state "$touch_dir/screen.json"; }

# touch_field NAME: a field of the last screen read (error, countdown_s, lock_minutes, ...)
touch_field() { jq -r ".$1" "$touch_dir/screen.json"; }

# touch_wait STATE SECONDS: until STATE is on screen and the kiosk awaits no answer
touch_wait() {
	i=0
	until touch_screen &&
		[ "$(jq -r 'select(.waiting == false) | .state' "$touch_dir/screen.json")" = "$1" ]; do
		i=$((i + 1))
		[ $i -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# touch_idle SECONDS: until the kiosk awaits no answer (a PIN checked, a holder looked up)
touch_idle() {
	i=0
	until touch_screen && [ "$(jq -r .waiting "$touch_dir/screen.json")" = false ]; do
		i=$((i + 1))
		[ $i -gt $(($1 * 10)) ] && return 1
		sleep 0.1
	done
}

# touch ACTION [ARG]: touches the button doing ACTION (with ARG, any when not given) at its
# centre as soon as one is on screen and the kiosk takes touches, then waits until the
# kiosk has handled the touch. False when no such button comes within 10 s.
touch() {
	i=0
	while :; do
		at=""
		touch_screen && at=$(jq -r --arg a "$1" --argjson n "${2:-null}" '
			if .waiting then empty else
			([.targets[] | select(.action == $a and ($n == null or .arg == $n))] | last)
				as $t | .touches as $done |
			if $t == null then empty
			else "\($done) \($t.x + ($t.w / 2 | floor)) \($t.y + ($t.h / 2 | floor))" end
			end' "$touch_dir/screen.json")
		[ -n "$at" ] && break
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	set -- $at
	xdotool mousemove --window "$touch_win" "$2" "$3" click 1 || return 1
	i=0
	until touch_screen && [ "$(jq -r .touches "$touch_dir/screen.json")" -gt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && return 1
		sleep 0.05
	done
}

# touch_digits DIGITS: each digit on the keypad on screen
touch_digits() {
	d=$1
	while [ -n "$d" ]; do
		rest=${d#?}
		touch digit "${d%"$rest"}" || return 1
		d=$rest
	done
}
