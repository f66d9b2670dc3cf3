// The API reference: Swagger UI (vendored) over this server's OpenAPI document.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("swagger-ui");
    if (!el || typeof window.SwaggerUIBundle !== "function") return;
    window.SwaggerUIBundle({
      url: el.getAttribute("data-openapi"),
      dom_id: "#swagger-ui",
      validatorUrl: null,            // never ask an online validator
      deepLinking: true,
      tryItOutEnabled: false,
      layout: "BaseLayout"
    });
  });
})();
