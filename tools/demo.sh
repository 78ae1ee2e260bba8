#!/bin/sh
# The kiosk demo: installs what it needs, builds, and starts the kiosk.
# With a display (X11 or Wayland) it opens a 1920x1080 window. Without one it runs on SDL's
# offscreen driver and writes what the screen shows to demo-out/ every 5 seconds.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
if [ -f build/build.ninja ]; then :; else meson setup build --buildtype=debugoptimized >/dev/null; fi
ninja -C build >/dev/null

mkdir -p demo-out
conf=demo-out/kiosk.conf
cat > "$conf" <<CONF
[kiosk]
id = ADM-DEMO-01
location = Demo, $(hostname)
[display]
window = 1920x1080
assets = $(pwd)/ui-assets
CONF

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
	echo "demo: starting the kiosk in a window (Ctrl-C to stop)"
	exec build/kiosk/adm-kiosk --config "$conf"
fi
echo "demo: no display found: running on SDL's offscreen driver."
echo "demo: the screen is written to $(pwd)/demo-out/latest.png every 5 s (Ctrl-C to stop)."
SDL_VIDEODRIVER=offscreen exec build/kiosk/adm-kiosk --config "$conf" \
	--screenshot-dir demo-out --screenshot-every 5
