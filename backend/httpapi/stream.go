package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"atrium/backend/domain"
	"atrium/backend/service"
)

// streamHeartbeat is how often an idle stream says it is alive, and reads the
// log again: a session signed out elsewhere ends the stream within that time,
// and proxies that cut silent connections keep it.
const streamHeartbeat = 25 * time.Second

// stream serves the change log as server-sent events, as changes.pull reads
// it for the signed-in account: each event is one change, its id the change's
// position, so a browser that reconnects resumes with Last-Event-ID where it
// stopped. Without one it follows from now on. It ends when the session does
// (an "ended" event), and the browser does not retry a refused one.
func (h *handler) stream(w http.ResponseWriter, r *http.Request) {
	// Reading is not a change, but the events are the account's data: only
	// the console's own pages may open the stream.
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		writeError(w, domain.Errorf(domain.CodeForbidden, "cross-site request"))
		return
	}
	after := int64(-1)
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
			after = n
			break
		}
	}
	call := service.Call{Op: "changes.pull", Token: h.sessionToken(r), Device: clientDevice(r)}
	pull := func() (service.ChangePage, error) {
		call.Input = []byte(fmt.Sprintf(`{"after":%d}`, after))
		res, err := h.Registry.Invoke(r.Context(), call)
		if err != nil {
			return service.ChangePage{}, err
		}
		return res.Output.(service.ChangePage), nil
	}
	// The wake-up is always taken before the read it follows: a commit in
	// between rings it.
	wake := h.changesAfter()
	// Refused before the stream starts: a plain error the browser does not retry.
	page, err := pull()
	if err != nil {
		writeError(w, err)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, domain.Errorf(domain.CodeInternal, "streaming unsupported"))
		return
	}
	// The server's write timeout is for answers, not for a stream.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	heartbeat := time.NewTicker(streamHeartbeat)
	defer heartbeat.Stop()
	for {
		for _, c := range page.Items {
			b, _ := json.Marshal(c)
			fmt.Fprintf(w, "id: %d\ndata: %s\n\n", c.Seq, b)
		}
		if page.Next > after {
			// Past what the account may not read too, so a reconnection resumes there.
			after = page.Next
			fmt.Fprintf(w, "id: %d\n\n", after)
		}
		flusher.Flush()
		full := len(page.Items) > 0 && page.Next == page.Items[len(page.Items)-1].Seq
		if !full {
			select {
			case <-r.Context().Done():
				return
			case <-wake:
			case <-heartbeat.C:
				fmt.Fprint(w, ": still here\n\n")
			}
		}
		wake = h.changesAfter()
		if page, err = pull(); err != nil {
			b, _ := json.Marshal(map[string]string{"code": string(domain.CodeOf(err))})
			fmt.Fprintf(w, "event: ended\ndata: %s\n\n", b)
			flusher.Flush()
			return
		}
	}
}

// changesAfter is what wakes a stream: the store's commits, or, when the
// server gave none, a plain interval.
func (h *handler) changesAfter() <-chan struct{} {
	if h.ChangesAfter != nil {
		return h.ChangesAfter()
	}
	c := make(chan struct{})
	time.AfterFunc(2*time.Second, func() { close(c) })
	return c
}
