package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"atrium/backend/mail"
	"atrium/backend/service"
)

// smtpFlags are the SMTP server and public address given on the command
// line or in the environment. The console's mail settings are
// read-only unless --smtp-from-console is given and no host is.
type smtpFlags struct {
	host, security, user, password, from, publicURL *string
	port                                            *int
	fromConsole                                     *bool
}

func mailFlags(fl *flag.FlagSet) smtpFlags {
	port, _ := strconv.Atoi(envOr("ATRIUM_SMTP_PORT", "587"))
	return smtpFlags{
		host:      fl.String("smtp-host", os.Getenv("ATRIUM_SMTP_HOST"), "SMTP server host (empty: settings from the console)"),
		port:      fl.Int("smtp-port", port, "SMTP server port"),
		security:  fl.String("smtp-security", envOr("ATRIUM_SMTP_SECURITY", mail.SecurityStartTLS), "starttls, tls or none"),
		user:      fl.String("smtp-user", os.Getenv("ATRIUM_SMTP_USER"), "SMTP user name"),
		password:  fl.String("smtp-password", os.Getenv("ATRIUM_SMTP_PASSWORD"), "SMTP password (prefer ATRIUM_SMTP_PASSWORD)"),
		from:      fl.String("smtp-from", os.Getenv("ATRIUM_SMTP_FROM"), "sender address, e.g. \"Atrium <atrium@example.fr>\""),
		publicURL: fl.String("public-url", os.Getenv("ATRIUM_PUBLIC_URL"), "address of the console as browsers reach it: in links sent by mail (default http://ADDR), the only origin allowed to call; https:// (a proxy ending TLS in front) makes the cookies Secure"),
		fromConsole: fl.Bool("smtp-from-console", os.Getenv("ATRIUM_SMTP_FROM_CONSOLE") == "1",
			"let organization admins set the SMTP server in the console (only when every organization on this server trusts them)"),
	}
}

// deps turns the flags into the services' mail dependencies, refusing SMTP
// settings the console would refuse too (an unknown security mode, a
// password sent in clear to another machine).
func (f smtpFlags) deps(addr string) (service.MailDeps, error) {
	d := service.MailDeps{PublicURL: *f.publicURL, ConsoleSettings: *f.fromConsole}
	if d.PublicURL == "" {
		d.PublicURL = "http://" + addr
	}
	if *f.host != "" {
		d.Env = &mail.Settings{Host: *f.host, Port: *f.port, Security: *f.security, Username: *f.user, Password: *f.password, Sender: *f.from}
		if d.Env.Sender == "" {
			d.Env.Sender = "Atrium <atrium@" + *f.host + ">"
		}
		switch d.Env.Security {
		case mail.SecurityStartTLS, mail.SecurityTLS, mail.SecurityNone:
		default:
			return d, fmt.Errorf("--smtp-security %q: choose starttls, tls or none", d.Env.Security)
		}
		if mail.PasswordInClear(*d.Env) {
			return d, fmt.Errorf("--smtp-user with --smtp-security none would send the password in clear to %s: choose starttls or tls", d.Env.Host)
		}
	}
	return d, nil
}
