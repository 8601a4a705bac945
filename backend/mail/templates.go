package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*
var templateFS embed.FS

var (
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html"))
	textLayout = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/layout.txt"))
)

// Kinds of messages.
const (
	KindInvitation     = "invitation"
	KindPasswordReset  = "password_reset"
	KindEmailChange    = "email_change"
	KindEmailChanged   = "email_changed"
	KindEmailInUse     = "email_in_use" // someone asked to move another account to this address
	KindDeleteAccount  = "delete_account"
	KindDeleteOrg      = "delete_org"
	KindSecurityAlert  = "security_alert"
	KindTest           = "test"
	defaultLanguage    = "fr"
	supportedLanguages = "fr en"
)

// Data fills a message's template.
type Data struct {
	Name    string // the recipient's first name, if known
	Org     string // the organization's name
	Inviter string // who invited
	Link    string // the action's link
	Code    string // the code to type instead of following the link
	Email   string // an address the message is about (the new address)
	Expires string // how long the link is valid, in words
	Alert   string // the security alert's kind
	Detail  string // a detail of the alert (the device)
	Person  string // the member a notification is about
	By      string // who did what a notification tells
	Task    string // a task's title
	Due     string // a task's due date, as the recipient reads dates
	// Items are lines added after the wording's own (the weekly digest's
	// list), as they are: never templates.
	Items []string
}

// text is one message's wording in one language; %s-free: fields are filled
// from Data by name with {{.Field}}.
type text struct {
	Subject, Greeting string
	Lines             []string
	Button            string
	CodeLine          string
	Footer            string
}

// view is what the layouts render.
type view struct {
	Lang, Subject, Greeting string
	Lines                   []string
	Button, Link, CodeLine  string
	Code                    string
	Footer                  string
}

// Render builds the subject, text and HTML of a message in a language
// ("fr" or "en"; anything else falls back to French).
func Render(kind, lang string, d Data) (subject, txt, html string, err error) {
	if lang == "" || !strings.Contains(supportedLanguages, lang) {
		lang = defaultLanguage
	}
	w, ok := wordings[lang][kind]
	if !ok {
		return "", "", "", fmt.Errorf("mail: no template %s/%s", lang, kind)
	}
	fill := func(s string) string {
		if s == "" {
			return ""
		}
		t, perr := texttemplate.New("").Parse(s)
		if perr != nil {
			err = perr
			return ""
		}
		var b bytes.Buffer
		if perr := t.Execute(&b, d); perr != nil {
			err = perr
		}
		return b.String()
	}
	v := view{Lang: lang, Subject: fill(w.Subject), Greeting: fill(w.Greeting), Button: fill(w.Button),
		Link: d.Link, Code: d.Code, Footer: fill(w.Footer)}
	if d.Code != "" {
		v.CodeLine = fill(w.CodeLine)
	}
	for _, l := range w.Lines {
		v.Lines = append(v.Lines, fill(l))
	}
	v.Lines = append(v.Lines, d.Items...)
	if err != nil {
		return "", "", "", err
	}
	var hb, tb bytes.Buffer
	if err := htmlLayout.Execute(&hb, v); err != nil {
		return "", "", "", err
	}
	if err := textLayout.Execute(&tb, v); err != nil {
		return "", "", "", err
	}
	return v.Subject, tb.String(), hb.String(), nil
}
