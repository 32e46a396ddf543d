package portal

import (
	"sync"
	"time"

	"landwatch/store/accounts"
	"landwatch/warehouse/secret"
)

// Sessions live in memory: a restart signs everyone out.

const sessionTTL = 8 * time.Hour

type session struct {
	user    accounts.User
	csrf    string
	expires time.Time
	pending string // a TOTP secret being set up
}

type sessions struct {
	mu sync.Mutex
	m  map[string]*session
}

func newSessions() *sessions { return &sessions{m: map[string]*session{}} }

func (ss *sessions) create(u accounts.User, now time.Time) (id string, s *session) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, v := range ss.m {
		if now.After(v.expires) {
			delete(ss.m, k)
		}
	}
	id = secret.RandomHex(32)
	s = &session{user: u, csrf: secret.RandomHex(24), expires: now.Add(sessionTTL)}
	ss.m[id] = s
	return id, s
}

func (ss *sessions) get(id string, now time.Time) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.m[id]
	if s == nil || now.After(s.expires) {
		delete(ss.m, id)
		return nil
	}
	s.expires = now.Add(sessionTTL)
	return s
}

func (ss *sessions) drop(id string) {
	ss.mu.Lock()
	delete(ss.m, id)
	ss.mu.Unlock()
}
