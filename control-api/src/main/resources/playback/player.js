// Vigil's player page: plays the signed playlist (data-src) with hls.js when the browser has Media Source
// Extensions, natively otherwise (Safari, or an exported MP4). No inline script: the page's CSP forbids it.
(function () {
  'use strict';
  var video = document.getElementById('player');
  var status = document.getElementById('status');
  if (!video) { return; }
  var src = video.getAttribute('data-src');
  var kind = video.getAttribute('data-kind');
  function say(text) { if (status) { status.textContent = text; } }
  video.addEventListener('error', function () { say('The recording cannot be played (the link may have expired).'); });
  if (kind === 'hls' && window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls({ enableWorker: false });
    hls.on(window.Hls.Events.ERROR, function (event, data) {
      if (data && data.fatal) { say('Playback failed: ' + data.details); }
    });
    hls.loadSource(src);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
  } else {
    video.src = src;
    video.play().catch(function () {});
  }
})();
