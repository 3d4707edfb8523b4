#!/usr/bin/python3
"""A live RTSP test source for the ingest-worker tests: GStreamer's RTSP server (FFmpeg cannot serve
RTSP) streaming a 640x360 25 fps H.264 test pattern (a key frame every second) and an 8 kHz A-law sine
on rtsp://127.0.0.1:<port>/live.

Usage: /usr/bin/python3 rtsp_server.py <port>
Prints "READY <port>" once listening; runs until killed. Needs the Debian packages python3-gi,
gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-base, -good and -bad (openh264enc)."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1 "
    "! openh264enc gop-size=25 complexity=0 ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 "
    "audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=8000,channels=1 "
    "! alawenc ! rtppcmapay name=pay1 pt=8 )"
)


def main():
    Gst.init(None)
    port = sys.argv[1] if len(sys.argv) > 1 else "8554"
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(True)
    server.get_mount_points().add_factory("/live", factory)
    if server.attach(None) == 0:
        print("FAILED cannot listen on port %s" % port, flush=True)
        sys.exit(1)
    print("READY %d" % server.get_bound_port(), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
