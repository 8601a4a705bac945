// Command atrium is the desktop application: a window with the console, on a
// SQLite file in the user's data folder.
package main

import (
	"context"
	"log"
	"log/slog"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"atrium/app"
	"atrium/backend/auth"
	"atrium/backend/buildinfo"
	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/frontend"
)

func main() {
	app.PrepareWebView()
	ctx := context.Background()
	dir, dirErr := app.DataDir()
	// The desktop starts Atrium through this at launch, again to reopen its
	// database after a restore, and on a server's replica (db says which).
	desktop := app.NewDesktop(dir, func(db string, desk *service.DesktopDeps) (*service.System, error) {
		if dirErr != nil {
			return nil, dirErr
		}
		// The history's key is a file in the data folder, readable by the
		// user alone (atrium.history-key), so a copy of the database alone
		// cannot have its history rewritten. Without SMTP settings, messages
		// stay in the console's outbox screen.
		sys, err := service.Start(ctx, service.Config{DB: db, Deps: service.Deps{
			Version: buildinfo.Version, CommonPasswords: auth.NewCommonPasswords(frontend.Dist()), Log: slog.Default(),
			Mail: service.MailDeps{ConsoleSettings: true}, Desktop: desk}})
		if err != nil && domain.CodeOf(err) != domain.CodeStartupFailed {
			// The console explains a start that failed; any other error
			// would reach it as a bare "internal".
			err = domain.Errorf(domain.CodeStartupFailed, "%v", err)
		}
		return sys, err
	})
	defer app.Shutdown(desktop)
	err := wails.Run(&options.App{
		Title:            "Atrium",
		Width:            1120, // fits a 1366×768 laptop screen with its taskbar
		Height:           720,
		MinWidth:         960,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 250, A: 255},
		AssetServer:      &assetserver.Options{Assets: frontend.Dist()},
		OnStartup:        desktop.Startup,
		OnBeforeClose:    app.BeforeClose(desktop),
		Bind:             []any{desktop},
		ErrorFormatter:   app.FormatError,
		// An explicit Linux block would default to GPU policy "Always", which
		// doubles the web view's memory (bench/desktop.sh); Never is Wails'
		// own default and an admin console needs no GPU compositing. The
		// icon of the window and the taskbar is Atrium's (windowicon.go).
		Linux: &linux.Options{ProgramName: "Atrium", WebviewGpuPolicy: linux.WebviewGpuPolicyNever, Icon: windowIcon},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "eu.atrium.desktop",
			OnSecondInstanceLaunch: func(options.SecondInstanceData) { desktop.Focus() },
		},
	})
	if err != nil {
		log.Fatal(err)
	}
}
