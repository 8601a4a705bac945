package replica

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// A property of the sync, tried on random runs (seeded: the seed is printed,
// ATRIUM_TEST_SEED runs it again; ATRIUM_TEST_ROUNDS sets their length):
// three desktops (Anne the admin, Bruno and Chloé members), each behind its
// own network, make random operations through the registry as the desktop
// does (tasks made, renamed, completed; members' job titles edited; roles
// made and given; rights given and taken), while their networks go down and
// up, they sync now and then, and the server is stopped or killed (on
// PostgreSQL, one of two server processes on the one database). Then
// everyone syncs: every replica equals the server for what its account may
// read, every operation queued was answered once (accepted and applied, or
// refused and listed among the refused changes), nothing waits, and every
// database is sound.
func TestRandomOfflineWorkConverges(t *testing.T) {
	eachServerDB(t, func(t *testing.T, pg bool) {
		rng, _ := seed(t)
		rounds := envCount(t, "ATRIUM_TEST_ROUNDS", 30)
		data := newServerData(t, pg, 3, domain.RightMembersView, domain.RightMembersEdit, domain.RightTasksView, domain.RightTasksManage)
		// On PostgreSQL, two server processes on the one database, each
		// desktop with one of them: what one pushes the others pull from
		// the other.
		servers := []*serverProc{newServerProc(t, data)}
		if pg {
			servers = append(servers, newServerProc(t, data))
		}
		type peer struct {
			*desktop
			proxy  *proxy
			srv    *serverProc
			online bool
			admin  bool
			recs   deskReply // what its replica shows, read at each round
		}
		var peers []*peer
		for _, p := range []struct {
			name, email, account string
			admin                bool
		}{{"anne", anneEmail, data.anne, true}, {"bruno", brunoEmail, data.bruno, false}, {"chloe", chloeEmail, data.chloe, false}} {
			srv := servers[len(peers)%len(servers)]
			px := newProxy(t, srv.addr)
			token := signInAt(t, px.url(), p.email, "poste-"+p.name)
			d := newDesktop(t, p.name, px.url(), token, p.account, data.org)
			d.must(d.do("pull"))
			peers = append(peers, &peer{desktop: d, proxy: px, srv: srv, online: true, admin: p.admin})
		}
		// Every operation queued: its desktop, and what it was.
		type queuedOp struct {
			peer *peer
			call deskCall
		}
		queued := map[string]queuedOp{}
		var order []string
		tasksMade := 0
		made := map[string]int{} // local outcome of each operation tried: queued, or its error's code
		pick := func(refs []deskRef) string {
			if len(refs) == 0 {
				return "00000000-0000-0000-0000-000000000000"
			}
			return refs[rng.IntN(len(refs))].ID
		}
		rights := []domain.Right{domain.RightTasksManage, domain.RightMembersEdit, domain.RightMembersView, domain.RightTasksView}
		next := 0
		operation := func(p *peer) deskCall {
			next++
			n := rng.IntN(10)
			if !p.admin {
				n = rng.IntN(6)
			}
			switch n {
			case 0, 1:
				return deskCall{Op: "tasks.create", Input: jsonOf(map[string]any{"title": fmt.Sprintf("Tâche %s %d", p.name, next)})}
			case 2:
				return deskCall{Op: "tasks.update", Input: jsonOf(map[string]any{"id": pick(p.recs.Tasks), "title": fmt.Sprintf("Tâche renommée %d", next)})}
			case 3:
				return deskCall{Op: "tasks.complete", Input: jsonOf(map[string]any{"id": pick(p.recs.Tasks)})}
			case 4, 5:
				// Few members, few titles: two desktops often edit the same field.
				return deskCall{Op: "members.update", Input: jsonOf(map[string]any{"memberId": pick(p.recs.Members),
					"jobTitle": []string{"Comptable", "Juriste", "Assistante", "Gérant"}[rng.IntN(4)]})}
			case 6:
				return deskCall{Op: "roles.create", Input: jsonOf(map[string]any{"name": fmt.Sprintf("Rôle %d", next),
					"rights": []string{string(rights[rng.IntN(len(rights))])}})}
			case 7:
				var roles []string
				for _, r := range p.recs.Roles {
					if rng.IntN(2) == 0 {
						roles = append(roles, r.ID)
					}
				}
				return deskCall{Op: "members.setRoles", Input: jsonOf(map[string]any{"memberId": pick(p.recs.Members), "roleIds": append([]string{}, roles...)})}
			default:
				member := []string{data.brunoM, data.chloeM}[rng.IntN(2)]
				return deskCall{Op: "members.setRight", Input: jsonOf(map[string]any{"memberId": member,
					"right": rights[rng.IntN(len(rights))], "granted": rng.IntN(3) > 0})}
			}
		}
		sync := func(p *peer) {
			t.Helper()
			r := p.do("sync")
			switch {
			case r.Err == "":
			case r.Kind == "offline" && (!p.online || p.srv.cmd == nil):
			default:
				t.Fatalf("round sync of %s (online %v, server up %v): %s (%s)", p.name, p.online, p.srv.cmd != nil, r.Err, r.Kind)
			}
		}

		for round := range rounds {
			for _, i := range rng.Perm(len(peers)) {
				p := peers[i]
				if rng.IntN(10) < 3 {
					p.online = !p.online
					p.proxy.setDown(!p.online)
				}
				p.recs = p.must(p.do("records"))
				for range rng.IntN(4) {
					call := operation(p)
					r := p.must(p.do("invoke", call))
					if id := r.Queued[0]; id != "" {
						queued[id] = queuedOp{peer: p, call: call}
						order = append(order, id)
						made["queued"]++
						if call.Op == "tasks.create" {
							tasksMade++
						}
					} else {
						made[call.Op+" "+r.Codes[0]]++
					}
				}
				if rng.IntN(2) == 0 {
					sync(p)
				}
			}
			which := rng.IntN(len(servers))
			srv := servers[which]
			switch rng.IntN(10) {
			case 0:
				srv.stop()
				t.Logf("round %d: server %d stopped", round, which)
			case 1:
				srv.kill()
				t.Logf("round %d: server %d killed", round, which)
			}
			for _, srv := range servers {
				if srv.cmd == nil && rng.IntN(2) == 0 {
					srv.start()
				}
			}
		}

		// Everyone back and syncing: once to push, once more to pull what
		// the others pushed after.
		for _, srv := range servers {
			if srv.cmd == nil {
				srv.start()
			}
		}
		for _, p := range peers {
			p.online = true
			p.proxy.setDown(false)
		}
		for range 2 {
			for _, p := range peers {
				sync(p)
			}
		}
		t.Logf("%d rounds: %d operations queued (%d tasks made), tried and refused on the desktop itself: %v", rounds, len(queued), tasksMade, made)

		replayed := data.replayed(t)
		accepted, refused := 0, map[string]int{}
		tasksAccepted := 0
		for _, p := range peers {
			q := p.must(p.do("queue"))
			held := map[string]deskOp{}
			var refusedHere []string
			for _, o := range q.Ops {
				held[o.ID] = o
				if o.State == store.PendingWaiting {
					t.Errorf("%s: %s (%s) still waits after everyone synced", p.name, o.ID, o.Op)
				} else {
					refusedHere = append(refusedHere, o.ID)
				}
			}
			slices.Sort(refusedHere)
			listed := slices.Clone(q.Listed)
			slices.Sort(listed)
			if !slices.Equal(refusedHere, listed) {
				t.Errorf("%s: refused %v, listed among the refused changes %v", p.name, refusedHere, listed)
			}
			for _, id := range order {
				op := queued[id]
				if op.peer != p {
					continue
				}
				rec, ok := replayed[id]
				switch {
				case !ok:
					t.Errorf("%s: %s %s was never answered by the server", p.name, op.call.Op, op.call.Input)
				case rec.AccountID != p.acc:
					t.Errorf("%s: %s recorded for another account", p.name, id)
				case rec.Outcome == store.ReplayAccepted:
					accepted++
					if op.call.Op == "tasks.create" {
						tasksAccepted++
					}
					if _, ok := held[id]; ok {
						t.Errorf("%s: %s was accepted, yet is still in the queue", p.name, id)
					}
				default:
					var e domain.Error
					json.Unmarshal([]byte(*rec.Refusal), &e)
					refused[op.call.Op+" "+string(e.Code)]++
					if held[id].State != store.PendingRefused {
						t.Errorf("%s: %s %s was refused (%s), the desktop does not list it", p.name, op.call.Op, op.call.Input, *rec.Refusal)
					}
				}
			}
			p.sameAsServer()
			p.sound()
		}
		t.Logf("answered by the server: %d accepted, refused %v", accepted, refused)

		// Each task made was made once: as many on the server as accepted
		// creations, each created once in the history.
		var tasks, creations int64
		data.st.DB(t.Context()).Table("tasks").Where("org_id = ?", data.org).Count(&tasks)
		data.st.DB(t.Context()).Table("audit_events").Where("org_id = ? AND action = ?", data.org, "task.created").Count(&creations)
		if tasks != int64(tasksAccepted) || creations != tasks {
			t.Errorf("the server holds %d tasks and %d creations in its history; %d creations were accepted", tasks, creations, tasksAccepted)
		}
		if p := data.integrity(t); p != "" {
			t.Errorf("the server's database: %s", p)
		}
		servers[0].verifyHistory()
	})
}

func jsonOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
