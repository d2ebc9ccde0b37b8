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
        {{#passwordForm}}
        <form method="post" action="{{{action}}}">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        <label for="username">Username</label>
        <input type="text" id="username" name="username" value="{{{username}}}" autocomplete="username" autofocus>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password">
        <button type="submit">Sign in</button>
        </form>
        {{/passwordForm}}
        {{#hasOptions}}
        <form method="post" action="{{{action}}}">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        {{#options}}<p><button type="submit" name="idp" value="{{{name}}}" data-observe="option.{{{name}}}">{{{display}}}</button></p>{{/options}}
        </form>
        {{/hasOptions}}
        """ + footer

    /// JIT-1, JIT-5: what provisioning needs, and the attributes the account will keep.
    static let provision = layout + """
        <h1>Create your account</h1>
        <p>You signed in with <strong data-observe="identityProvider">{{{identityProvider}}}</strong> to continue to
        <strong data-observe="serviceProvider">{{{serviceProvider}}}</strong>. An account will be created with:</p>
        <dl>{{#attributes}}<dt>{{{display}}}</dt><dd data-observe="attribute.{{{uri}}}">{{{value}}}</dd>{{/attributes}}</dl>
        <form method="post" action="/authenticationendpoint/provision">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        {{#asksUsername}}
        <label for="username">Username</label>
        <input type="text" id="username" name="username" value="{{{username}}}" autocomplete="username" required>
        {{#usernameError}}<p class="error" role="alert" data-observe="error.username">{{{usernameError}}}</p>{{/usernameError}}
        {{/asksUsername}}
        {{#asksPassword}}
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="new-password" required>
        <label for="confirmation">Password again</label>
        <input type="password" id="confirmation" name="confirmation" autocomplete="new-password" required>
        {{#passwordError}}<p class="error" role="alert" data-observe="error.password">{{{passwordError}}}</p>{{/passwordError}}
        {{/asksPassword}}
        <button type="submit" name="decision" value="approve">Create account</button>
        <button type="submit" name="decision" value="deny">Cancel</button>
        {{#offersAssociation}}<p>Already have an account here?
        <button type="submit" name="decision" value="link" formnovalidate>Link it instead</button></p>{{/offersAssociation}}
        </form>
        """ + footer

    /// FE-4: proving an existing account is yours, to link it to the federated sign-in.
    static let associate = layout + """
        <h1>Link your account</h1>
        <p>Sign in with the account you already have here. From then on, signing in with
        <strong data-observe="identityProvider">{{{identityProvider}}}</strong> signs you in to it, to continue to
        <strong data-observe="serviceProvider">{{{serviceProvider}}}</strong>.</p>
        {{#error}}<p class="error" role="alert" data-observe="error">{{{error}}}</p>{{/error}}
        <form method="post" action="/authenticationendpoint/associate">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        <label for="username">Username</label>
        <input type="text" id="username" name="username" value="{{{username}}}" autocomplete="username" autofocus>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password">
        <button type="submit" name="decision" value="link">Link and continue</button>
        <button type="submit" name="decision" value="back" formnovalidate>Back</button>
        </form>
        """ + footer

    /// An admin set this account's password: the person chooses their own before going on.
    static let changePassword = layout + """
        <h1>Choose a new password</h1>
        <p>Your password was reset. Choose your own to continue to <strong data-observe="serviceProvider">{{{serviceProvider}}}</strong>.</p>
        {{#error}}<p class="error" role="alert" data-observe="error">{{{error}}}</p>{{/error}}
        <form method="post" action="/authenticationendpoint/password">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        <label for="password">New password</label>
        <input type="password" id="password" name="password" autocomplete="new-password" autofocus>
        <label for="confirmation">New password again</label>
        <input type="password" id="confirmation" name="confirmation" autocomplete="new-password">
        <button type="submit">Save and continue</button>
        </form>
        """ + footer

    /// MF-1: a TOTP code, after enrolling the secret when the account has none.
    static let totp = layout + """
        <h1>Enter your code</h1>
        <p>to continue to <strong data-observe="serviceProvider">{{{serviceProvider}}}</strong></p>
        {{#enrolment}}
        <p>Add this account to your authenticator app with the key
        <code data-observe="totp.secret">{{{secret}}}</code>
        (or <a href="{{{uri}}}" data-observe="totp.uri">open it in the app</a>), then enter the code it shows.</p>
        {{/enrolment}}
        {{#error}}<p class="error" role="alert" data-observe="error">{{{error}}}</p>{{/error}}
        <form method="post" action="/authenticationendpoint/totp">
        <input type="hidden" name="sessionDataKey" value="{{{flowID}}}">
        <input type="hidden" name="csrf" value="{{{csrfToken}}}">
        <label for="code">Code</label>
        <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" autofocus>
        <button type="submit">Verify</button>
        </form>
        """ + footer

    /// A SAML answer posted across sites arrives without the SameSite=Lax browser cookie;
    /// posting it again from this origin brings the cookie (so the answer can be checked
    /// against the browser that started the login).
    static let repost = layout + """
        <h1>Signing you in…</h1>
        <form method="post" action="/commonauth">
        {{#fields}}<input type="hidden" name="{{{name}}}" value="{{{value}}}">{{/fields}}
        <noscript><button type="submit">Continue</button></noscript>
        </form>
        <script>document.forms[0].submit()</script>
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
