package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"atrium/backend/domain"
	"atrium/backend/service"
)

// MaxPushBody bounds one push: service.MaxPush operations of ordinary size.
const MaxPushBody = 8 << 20

// push receives a connected desktop's queued operations and answers each
// accepted, refused (with the reason) or later. It is signed in and checked
// for cross-site requests as an operation call is.
func (h *handler) push(w http.ResponseWriter, r *http.Request) {
	if err := h.checkCSRF(r); err != nil {
		writeError(w, err)
		return
	}
	body, err := readBody(w, r, MaxPushBody)
	if err != nil {
		writeError(w, err)
		return
	}
	var req service.PushRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, domain.Errorf(domain.CodeValidation, "unreadable push"))
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, domain.Errorf(domain.CodeValidation, "unreadable push"))
		return
	}
	res, err := h.Registry.Push(r.Context(), h.sessionToken(r), clientDevice(r), req.Ops)
	if err != nil {
		writeError(w, err)
		return
	}
	if res.Token != "" {
		h.setSession(w, r, res.Token)
	}
	writeJSON(w, http.StatusOK, res)
}

// clientDevice describes the device a request comes from: a connected
// desktop by the name it gives, else the browser.
func clientDevice(r *http.Request) domain.Device {
	d := browserDevice(r)
	ua := r.UserAgent()
	if !strings.HasPrefix(ua, service.DesktopAgent) {
		return d
	}
	d.Kind, d.Name, d.Platform = domain.SessionDesktop, "Atrium Desktop", ""
	if open, end := strings.IndexByte(ua, '('), strings.LastIndexByte(ua, ')'); open > 0 && end > open {
		platform, host, _ := strings.Cut(ua[open+1:end], ";")
		d.Platform = strings.TrimSpace(platform)
		if host = strings.TrimSpace(host); host != "" {
			d.Name += " · " + host
		}
	}
	return d
}
