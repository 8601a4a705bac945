package replica

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// proxy stands between a desktop and the server, as the network does: it
// passes, it is down (connections refused and the open ones dropped), or it
// cuts the next push in the middle: after some bytes of the request, or
// once the whole request is through and the answer starts to come back (the
// server has applied it, the desktop never hears so).
type proxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	cut   cutMode
	after int // cutRequest: the bytes of the push forwarded before the cut
	conns map[net.Conn]bool
	cuts  int // pushes cut so far
}

type cutMode int

const (
	cutNone    cutMode = iota
	cutRequest         // the next push's request is cut after p.after bytes
	cutAnswer          // the next push's answer is dropped
)

// pushLine starts a push's request on the wire.
var pushLine = []byte("POST /api/sync/push ")

func newProxy(t testing.TB, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.setDown(true)
	})
	return p
}

func (p *proxy) url() string { return "http://" + p.ln.Addr().String() }

// setDown cuts the network (and every connection open through it) or puts
// it back.
func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
	}
}

// cutNext arms a cut of the next push.
func (p *proxy) cutNext(mode cutMode, after int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut, p.after = mode, after
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		if !down {
			p.conns[c] = true
		}
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		go p.relay(c)
	}
}

// relay carries one connection to the server and back, watching for a push
// to cut.
func (p *proxy) relay(client net.Conn) {
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		client.Close()
		p.forget(client)
		return
	}
	p.mu.Lock()
	p.conns[server] = true
	p.mu.Unlock()
	closeBoth := func() {
		client.Close()
		server.Close()
	}
	defer p.forget(client, server)
	// pushed: a push armed with cutAnswer went through on this connection,
	// so the next bytes back are its answer.
	var pushed sync.Mutex
	answerCut := false
	go func() {
		defer closeBoth()
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 {
				pushed.Lock()
				drop := answerCut
				pushed.Unlock()
				if drop {
					return // the server answered; the desktop never hears it
				}
				if _, werr := client.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	defer closeBoth()
	buf := make([]byte, 32<<10)
	var tail []byte // the last bytes seen, to find a push split over two reads
	left := -1      // bytes of the push still to forward before the cut
	for {
		n, err := client.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if left < 0 {
				seen := append(tail, chunk...)
				if i := bytes.Index(seen, pushLine); i >= 0 {
					p.mu.Lock()
					mode, after := p.cut, p.after
					if mode != cutNone {
						p.cut = cutNone
						p.cuts++
					}
					p.mu.Unlock()
					switch mode {
					case cutRequest:
						// From where the push starts in this chunk.
						start := max(0, i-len(tail))
						left = start + after
					case cutAnswer:
						pushed.Lock()
						answerCut = true
						pushed.Unlock()
					}
				}
				tail = append([]byte(nil), seen[max(0, len(seen)-len(pushLine)):]...)
			}
			if left >= 0 {
				if left < len(chunk) {
					server.Write(chunk[:left])
					return // cut in the middle of the request
				}
				left -= len(chunk)
			}
			if _, werr := server.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			return
		}
	}
}

func (p *proxy) forget(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
	}
}

// Network cuts between a desktop and a real server: the server stopped, the
// network down, a push cut in the middle of its request, a push whose
// answer is lost after the server applied it. Each time the queue waits,
// nothing is applied twice, and once the network is back one sync brings
// the replica and the server together.
func TestNetworkCuts(t *testing.T) {
	eachServerDB(t, func(t *testing.T, pg bool) {
		w := newFaultWorldVia(t, pg, 0, true)
		offline := func(what string) {
			t.Helper()
			r := w.desk.do("sync")
			if r.Kind != "offline" {
				t.Fatalf("%s: the sync answered %q (%s), not offline", what, r.Kind, r.Err)
			}
			if r.Push == nil || r.Push.Waiting == 0 {
				t.Fatalf("%s: the push says %+v", what, r.Push)
			}
		}

		// The server stopped by its operator.
		w.srv.stop()
		batch := w.queue("stopped", 5)
		offline("server stopped")
		w.srv.start()
		w.settled(batch)
		w.recovered()

		// The network down, the connections open through it dropped.
		w.proxy.setDown(true)
		batch = w.queue("down", 5)
		offline("network down")
		w.settled(batch)
		w.proxy.setDown(false)
		w.recovered()

		// A push cut after some bytes of its request, at random.
		cuts := envCount(t, "ATRIUM_TEST_KILLS", 20)
		for i := range cuts {
			batch := w.queue(fmt.Sprintf("cut-request-%d", i), 5)
			w.proxy.cutNext(cutRequest, w.rng.IntN(1500))
			w.desk.do("push") // cut, or through when the cut fell past its end
			w.settled(batch)
			w.recovered()
		}
		// A push applied by the server, its answer lost on the way back.
		for i := range cuts / 4 {
			batch := w.queue(fmt.Sprintf("cut-answer-%d", i), 5)
			w.proxy.cutNext(cutAnswer, 0)
			if r := w.desk.do("push"); r.Kind != "offline" {
				t.Fatalf("a push whose answer was lost: %+v", r)
			}
			lost := w.landed[2]
			w.settled(batch)
			if w.landed[2] != lost+1 {
				t.Fatal("the server did not apply a push whose answer was lost")
			}
			w.recovered()
		}
		w.report("pushes cut (and two outages)", cuts+cuts/4+2)
		w.desk.sound()
		w.srv.verifyHistory()
	})
}
