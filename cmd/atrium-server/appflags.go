package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"atrium/backend/domain"
)

// appAddresses collects where each application of the catalog is reached:
// --app-address invoicing=https://facturation.example.fr (repeatable), or
// ATRIUM_APP_ADDRESSES="invoicing=https://…,expenses=https://…". An
// application without an address is not offered in the console.
type appAddresses map[string]string

func (a appAddresses) String() string { return fmt.Sprint(map[string]string(a)) }

// Set reads one key=address pair, refusing an unknown application or an
// address a browser could not open.
func (a appAddresses) Set(v string) error {
	key, addr, ok := strings.Cut(strings.TrimSpace(v), "=")
	if !ok || !domain.KnownApplication(key) {
		var keys []string
		for _, app := range domain.Applications {
			keys = append(keys, app.Key)
		}
		return fmt.Errorf("%q: expected application=https://address, the application one of %s", v, strings.Join(keys, ", "))
	}
	u, err := url.Parse(addr)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q: the address of %s must be an http:// or https:// URL", v, key)
	}
	a[key] = u.String()
	return nil
}

func appFlags(fl *flag.FlagSet) (appAddresses, error) {
	apps := appAddresses{}
	if env := os.Getenv("ATRIUM_APP_ADDRESSES"); env != "" {
		for _, pair := range strings.Split(env, ",") {
			if err := apps.Set(pair); err != nil {
				return nil, fmt.Errorf("ATRIUM_APP_ADDRESSES: %w", err)
			}
		}
	}
	fl.Var(apps, "app-address", "where an application of the catalog is reached, as application=https://address (repeatable); an application without one is not offered")
	return apps, nil
}
