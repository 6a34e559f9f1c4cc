/* Material 9.8.1's inline script from partials/javascripts/content.html, moved to a file so the site runs
   under script-src 'self' (no 'unsafe-inline'). tests/test_embed_csp.py checks it still matches. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
