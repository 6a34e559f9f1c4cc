/* Material 9.8.1's inline script from partials/javascripts/content.html, moved to a file so the site runs
   under script-src 'self' (no 'unsafe-inline'). tests/test_embed_csp.py checks it still matches. */
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
