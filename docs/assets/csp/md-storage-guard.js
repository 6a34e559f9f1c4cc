/* Material's __md_get/__md_set (md-base.js, kept verbatim) read `localStorage` as a default
   argument, outside their own try: where storage access throws (blocked cookies, an opaque
   origin) or holds something that is not JSON, every theme and palette script would throw.
   Wrapped here: no stored value, nothing saved, the page carries on. */
(function () {
  "use strict";
  var get = window.__md_get;
  var set = window.__md_set;
  window.__md_get = function () {
    try {
      return get.apply(this, arguments);
    } catch (e) {
      return null;
    }
  };
  window.__md_set = function () {
    try {
      return set.apply(this, arguments);
    } catch (e) {
      return undefined;
    }
  };
})();
