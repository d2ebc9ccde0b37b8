/// Mustache templates of the server's pages.
///
/// Values are escaped by `PageRenderer` (per Unicode scalar, with `MarkupEscaping`) and
/// inserted with `{{{…}}}`: Mustache's own escaping works per grapheme, so a quote followed
/// by a combining mark would pass it unescaped and end an attribute.
///
/// Elements marked `data-observe="…"` are what a scenario records about a page (its
/// kind, the fields offered, the messages shown), so a change in what a person sees
/// changes the vector; the `ih-page` meta names the page kind.
enum Templates {
    static let layout = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="ih-page" content="{{{page}}}">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{{title}}} · Identity Harness</title>
        <style>
        body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#1d2330}
        main{max-width:26rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
        h1{font-size:1.3rem;margin-top:0} label{display:block;margin:.8rem 0 .3rem}
        input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
        button{margin-top:1.2rem;padding:.6rem 1.2rem} .error{color:#a3000b} code{background:#eee;padding:0 .2rem}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem} dt{font-weight:600}
        </style></head>
        <body><main>
        """
    static let footer = "</main></body></html>"

    static let login = layout + """
        <h1>Sign in</h1>
        <p>to continue to <strong data-observe="serviceProvider">{{{serviceProvider}}}</strong></p>
        {{#error}}<p class="error" role="alert" data-observe="error">{{{error}}}</p>{{/error}}
        <form method="post" action="{{{action}}}">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        <label for="username">Username</label>
        <input type="text" id="username" name="username" value="{{{username}}}" autocomplete="username" autofocus>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password">
        <button type="submit">Sign in</button>
        </form>
        """ + footer

    static let claims = layout + """
        <h1>More information needed</h1>
        <p><strong data-observe="serviceProvider">{{{serviceProvider}}}</strong> needs this before you continue. It is saved to your profile.</p>
        <form method="post" action="/authenticationendpoint/claims">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        {{#claims}}
        <label for="{{{id}}}" data-observe="claim.{{{uri}}}">{{{display}}} *</label>
        <input type="{{{inputType}}}" id="{{{id}}}" name="{{{uri}}}" value="{{{value}}}" required>
        {{#error}}<p class="error" role="alert" data-observe="error.{{{uri}}}">{{{error}}}</p>{{/error}}
        {{/claims}}
        <button type="submit">Continue</button>
        </form>
        """ + footer

    static let consent = layout + """
        <h1>Share your information?</h1>
        <p><strong data-observe="serviceProvider">{{{serviceProvider}}}</strong> asks for:</p>
        <form method="post" action="/authenticationendpoint/consent">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        {{#claims}}
        <p><label><input type="checkbox" name="consent.{{{uri}}}" value="on" checked{{#mandatory}} disabled{{/mandatory}}>
        <span data-observe="consent.{{{uri}}}">{{{display}}}{{#mandatory}} *{{/mandatory}}</span></label></p>
        {{/claims}}
        <p>* required: without them you cannot continue.</p>
        <button type="submit" name="decision" value="approve">Allow</button>
        <button type="submit" name="decision" value="deny">Deny</button>
        </form>
        """ + footer

    static let device = layout + """
        <h1>Connect a device</h1>
        <p>Enter the code your device shows.</p>
        {{#error}}<p class="error" role="alert" data-observe="error">{{{error}}}</p>{{/error}}
        <form method="post" action="/oauth2/device">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        <label for="user_code">Code</label>
        <input type="text" id="user_code" name="user_code" value="{{{userCode}}}" autocomplete="one-time-code" autofocus>
        <button type="submit">Continue</button>
        </form>
        """ + footer

    static let logout = layout + """
        <h1>Sign out?</h1>
        <p data-observe="message">{{{client}}} asks to sign you out of every application.</p>
        <form method="post" action="/oidc/logout">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        {{#fields}}<input type="hidden" name="{{{name}}}" value="{{{value}}}">{{/fields}}
        <button type="submit">Sign out</button>
        </form>
        """ + footer

    static let message = layout + """
        <h1>{{{title}}}</h1>
        <p data-observe="message">{{{message}}}</p>
        """ + footer

    static let error = layout + """
        <h1>{{{title}}}</h1>
        <p data-observe="message">{{{message}}}</p>
        <dl>
        <dt>Error code</dt><dd><code data-observe="error.code">{{{code}}}</code></dd>
        {{#field}}<dt>Field</dt><dd><code data-observe="error.field">{{{field}}}</code></dd>{{/field}}
        {{#value}}<dt>Value</dt><dd><code data-observe="error.value">{{{value}}}</code></dd>{{/value}}
        </dl>
        <p>Return to the application and try again. If this keeps happening, give the error code to its administrator.</p>
        """ + footer
}
