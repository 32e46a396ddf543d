// Proof of work for the tip form: find pow_nonce such that SHA-256(token + ":" + nonce) starts with
// `bits` zero bits. Pure JavaScript (crypto.subtle needs HTTPS). Without JavaScript the form still
// works: the server then takes the slower path.
(function () {
  "use strict";
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  function sha256(ascii) { // ASCII input (the token and nonce are ASCII); returns 8 words
    var bytes = [], i;
    for (i = 0; i < ascii.length; i++) bytes.push(ascii.charCodeAt(i) & 0xff);
    var bitLen = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    for (i = 7; i >= 0; i--) bytes.push(i >= 4 ? 0 : (bitLen >>> (i * 8)) & 0xff);
    var H = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
    var W = new Array(64);
    for (var off = 0; off < bytes.length; off += 64) {
      for (i = 0; i < 16; i++) W[i] = (bytes[off+4*i] << 24) | (bytes[off+4*i+1] << 16) | (bytes[off+4*i+2] << 8) | bytes[off+4*i+3];
      for (i = 16; i < 64; i++) {
        var x = W[i-15], y = W[i-2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        W[i] = (W[i-16] + s0 + W[i-7] + s1) | 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var mj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + mj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    return H;
  }
  function zeroBits(H) {
    var n = 0;
    for (var i = 0; i < 8; i++) {
      var w = H[i] >>> 0;
      if (w === 0) { n += 32; continue; }
      return n + Math.clz32(w);
    }
    return n;
  }
  var form = document.querySelector("form.tipform");
  if (!form) return;
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 0;
  var status = form.querySelector(".pow-status");
  var solved = bits === 0;
  form.addEventListener("submit", function (ev) {
    if (solved) return;
    ev.preventDefault();
    var token = form.elements["pow_token"].value, nonce = 0;
    if (status) status.textContent = "正在进行防刷验证……";
    (function step() {
      for (var k = 0; k < 20000; k++, nonce++) {
        if (zeroBits(sha256(token + ":" + nonce)) >= bits) {
          form.elements["pow_nonce"].value = String(nonce);
          // the token and nonce also go in the address, so the server checks them before the files
          form.action = "/tip?pow_token=" + encodeURIComponent(token) + "&pow_nonce=" + nonce;
          solved = true;
          if (status) status.textContent = "验证完成，正在提交……";
          form.submit();
          return;
        }
      }
      setTimeout(step, 0);
    })();
  });
})();
