"""Branding vectors: resolution by email, slug and connection along org → parents → app default,
and the validation of branding records (https URLs, hex colours, texts, allow-listed CSS)."""

DEFAULT = {"logo_url": "https://cdn.app.test/logo.svg", "primary_color": "#111111", "secondary_color": "#222222",
           "login_title": "Sign in", "login_button_text": "Continue"}
PARENT_CSS_RAW = "/* Acme */ .login   .button{color:#fff ;\n background-color: #0a66c2}h1{font-family:'Inter', sans-serif}"
PARENT_CSS = ".login .button { color: #fff; background-color: #0a66c2; }\nh1 { font-family: 'Inter', sans-serif; }\n"
FIELDS = ("custom_css", "login_button_text", "login_subtitle", "login_title", "logo_url", "primary_color",
          "secondary_color")


def ref(oid, slug, name):
    return {"id": oid, "slug": slug, "name": name, "require_sso": False}


def build(case, ok, err, org, small_dir):
    saml = {"idp_entity_id": "https://idp.plain.test", "sso_url": "https://idp.plain.test/sso"}
    orgs = [
        org("org_parent", "acme", "Acme", [("acme.com", "verified", False)],
            branding={"logo_url": "https://cdn.acme.com/logo.svg", "primary_color": "#ff6600",
                      "login_title": "Welcome to Acme", "custom_css": PARENT_CSS_RAW}),
        org("org_child", "acme-eu", "Acme EU", [("eu.acme.com", "verified", False)], parent_id="org_parent",
            branding={"primary_color": "#0055aa", "login_subtitle": "Use your EU account"}),
        org("org_plain", "plain", "Plain", [("plain.com", "verified", False)],
            [{"id": "conn_plain", "protocol": "saml", "status": "active", "saml": saml}]),
    ]
    d = small_dir(orgs)
    options = {"branding": DEFAULT}

    def B(cid, lookup, expected, note=None, opts=options, directory=d):
        case("branding", "resolve", cid, "branding_resolve", {"directory": directory, "options": opts, **lookup},
             expected, note)

    child = {"logo_url": "https://cdn.acme.com/logo.svg", "primary_color": "#0055aa", "secondary_color": "#222222",
             "login_title": "Welcome to Acme", "login_subtitle": "Use your EU account",
             "login_button_text": "Continue", "custom_css": PARENT_CSS}
    child_sources = {"custom_css": "org_parent", "login_button_text": "default", "login_subtitle": "org_child",
                     "login_title": "org_parent", "logo_url": "org_parent", "primary_color": "org_child",
                     "secondary_color": "default"}
    B("by-slug-child-inherits-parent-then-default", {"slug": "acme-eu"},
      ok({"org": ref("org_child", "acme-eu", "Acme EU"), "branding": child, "sources": child_sources}),
      "each field from the first of org → parent → app default that sets it")
    B("by-email-domain", {"email": "Erin@EU.acme.com"},
      ok({"org": ref("org_child", "acme-eu", "Acme EU"), "branding": child, "sources": child_sources}))
    B("by-slug-parent-own-css-canonical", {"slug": "ACME"},
      ok({"org": ref("org_parent", "acme", "Acme"),
          "branding": {"logo_url": "https://cdn.acme.com/logo.svg", "primary_color": "#ff6600",
                       "secondary_color": "#222222", "login_title": "Welcome to Acme",
                       "login_button_text": "Continue", "custom_css": PARENT_CSS},
          "sources": {"custom_css": "org_parent", "login_button_text": "default", "login_title": "org_parent",
                      "logo_url": "org_parent", "primary_color": "org_parent", "secondary_color": "default"}}),
      "custom CSS comes back in the canonical form it was stored in")
    B("by-connection", {"connection_id": "conn_plain"},
      ok({"org": ref("org_plain", "plain", "Plain"), "branding": DEFAULT,
          "sources": {f: "default" for f in FIELDS if f in DEFAULT}}))
    B("consumer-email-gets-default", {"email": "someone@gmail.com"},
      ok({"org": None, "branding": DEFAULT, "sources": {f: "default" for f in FIELDS if f in DEFAULT}}))
    B("unclaimed-domain-gets-default", {"email": "x@nobody-claims-this.test"},
      ok({"org": None, "branding": DEFAULT, "sources": {f: "default" for f in FIELDS if f in DEFAULT}}))
    B("no-app-default", {"connection_id": "conn_plain"},
      ok({"org": ref("org_plain", "plain", "Plain"), "branding": {}, "sources": {}}), opts={})
    B("unknown-slug", {"slug": "nope"}, err("unknown_org", path="slug"))
    B("unknown-connection", {"connection_id": "conn_nope"}, err("unknown_connection", path="connection_id"))
    B("two-lookups", {"slug": "acme", "connection_id": "conn_plain"}, err("invalid_input"))
    B("no-lookup", {}, err("invalid_input"))
    B("bad-email", {"email": "no-at-sign"}, err("invalid_email"))

    def L(cid, branding, problem, note=None):
        directory = small_dir([org("org_x", "x", "X", [], branding=branding)])
        case("branding", "validate", cid, "load", {"directory": directory}, err(
            "invalid_directory", problems=[{"path": "orgs[0].branding." + problem[0], "code": problem[1],
                                            "reason": problem[2]}]), note)

    L("logo-not-https", {"logo_url": "http://cdn.x.test/logo.png"}, ("logo_url", "invalid_value", "not_https_url"))
    L("logo-with-credentials", {"logo_url": "https://user:pw@cdn.x.test/logo.png"},
      ("logo_url", "invalid_value", "not_https_url"))
    L("color-by-name", {"primary_color": "red"}, ("primary_color", "invalid_value", "not_hex_color"))
    L("color-too-long", {"secondary_color": "#1234567"}, ("secondary_color", "invalid_value", "not_hex_color"))
    L("subtitle-too-long", {"login_subtitle": "x" * 2049}, ("login_subtitle", "limit_exceeded", "text_too_long"))
    L("button-text-empty", {"login_button_text": "  "}, ("login_button_text", "invalid_value", "empty"))
    L("title-control-character", {"login_title": "Hi\u0007"}, ("login_title", "invalid_value", "control_character"))
    for cid, css, reason in (
            ("css-import", "@import url(https://evil.test/x.css);", "css_at_rule"),
            ("css-url", ".a { background: url(https://evil.test/beacon) }", "css_value"),
            ("css-escape", ".a { background: u\\72l(x) }", "css_escape"),
            ("css-expression", ".a { width: expression(alert(1)) }", "css_value"),
            ("css-attribute-selector", "input[value^=a] { color: red }", "css_selector"),
            ("css-position-not-allowed", ".a { position: fixed; top: 0 }", "css_property"),
            ("css-custom-property", ".a { --x: red }", "css_property"),
            ("css-unclosed", ".a { color: red", "css_syntax")):
        L(cid, {"custom_css": css}, ("custom_css", "invalid_value", reason), "refused, never silently rewritten")
    L("css-too-large", {"custom_css": ".a { color: red }" * 600}, ("custom_css", "limit_exceeded", "css_too_large"))
    case("branding", "validate", "default-branding-checked-too", "load",
         {"directory": small_dir(), "options": {"branding": {"custom_css": "@import 'x';"}}},
         err("invalid_value", problems=[{"path": "options.branding.custom_css", "reason": "css_at_rule"}]))
