package hooks

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/insights"
)

// The Insights roll-up in memory. Reading and decoding 100,000 facts from
// townhall_insight_facts took about 70 % of an Insights call (60 of 90 ms);
// the figures themselves about 20 ms. So the portal keeps every fact
// decoded, and before each call reads only the facts that changed since
// the previous one: every write of a fact appends its request's id to
// townhall_insight_changes in the same transaction (migration 1763900093),
// so a change is seen exactly when it is committed, whichever process made
// it. A rewrite of the whole roll-up ("*"), or a reader that fell more than
// the kept changes behind, reads everything again. Memory: about 400 bytes a
// request (40 MB for 100,000).

// keptFactChanges is how many changes the log keeps.
const keptFactChanges = 20000

// insightMirror is the decoded roll-up and the last change it applied.
type insightMirror struct {
	syncing sync.Mutex   // one reader brings it up to date at a time
	mu      sync.RWMutex // guards what follows; readers hold it while they compute
	loaded  bool
	seq     int64
	facts   []insights.Fact
	pos     map[string]int // request id -> index in facts
}

// logFactChange records in app's transaction that the fact of request id
// changed ("*": every fact), and forgets changes no reader needs any more.
func logFactChange(app core.App, id string) error {
	res, err := app.DB().NewQuery("INSERT INTO townhall_insight_changes (request) VALUES ({:id})").Bind(dbx.Params{"id": id}).Execute()
	if err != nil {
		return err
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return err
	}
	old := int64(-1)
	switch {
	case id == "*":
		old = seq - 1 // everything before a rewrite is superseded
	case seq%1000 == 0:
		old = seq - keptFactChanges
	}
	if old > 0 {
		_, err = app.DB().NewQuery("DELETE FROM townhall_insight_changes WHERE seq <= {:old}").Bind(dbx.Params{"old": old}).Execute()
	}
	return err
}

// insightFacts brings the mirror up to date and returns every fact, for
// reading only, until release is called (the mirror changes only between
// calls). Figures computed from them equal those computed from the table
// (TestInsightsMirrorMatchesTheTable).
func (p *Portal) insightFacts() (facts []insights.Fact, release func(), err error) {
	m := p.mirror
	if err := p.syncMirror(m); err != nil {
		return nil, func() {}, err
	}
	m.mu.RLock()
	p.factsSeen.Store(int64(len(m.facts)))
	return m.facts, m.mu.RUnlock, nil
}

// find is the fact of request id (nil: none); only while a reader holds
// the facts from insightFacts.
func (m *insightMirror) find(id string) *insights.Fact {
	if i, ok := m.pos[id]; ok {
		return &m.facts[i]
	}
	return nil
}

// syncMirror applies the changes committed since the mirror's last one.
func (p *Portal) syncMirror(m *insightMirror) error {
	m.syncing.Lock()
	defer m.syncing.Unlock()
	var bounds struct {
		First int64 `db:"first"`
		Last  int64 `db:"last"`
	}
	if err := p.app.DB().NewQuery("SELECT coalesce(min(seq), 0) AS first, coalesce(max(seq), 0) AS last FROM townhall_insight_changes").
		One(&bounds); err != nil {
		return err
	}
	if m.loaded && bounds.Last == m.seq {
		return nil
	}
	if !m.loaded || bounds.First > m.seq+1 || bounds.Last-m.seq > keptFactChanges/4 {
		return p.reloadMirror(m)
	}
	var changes []struct {
		Seq     int64  `db:"seq"`
		Request string `db:"request"`
	}
	if err := p.app.DB().NewQuery("SELECT seq, request FROM townhall_insight_changes WHERE seq > {:seq} ORDER BY seq").
		Bind(dbx.Params{"seq": m.seq}).All(&changes); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	seen := map[string]bool{}
	ids := make([]any, 0, len(changes))
	for _, c := range changes {
		if c.Request == "*" {
			return p.reloadMirror(m)
		}
		if !seen[c.Request] {
			seen[c.Request] = true
			ids = append(ids, c.Request)
		}
	}
	// the facts as they are now (a later change read again next time is harmless)
	fresh := map[string]*insights.Fact{}
	dec := insights.NewDecoder()
	for start := 0; start < len(ids); start += 500 {
		var rows []struct {
			Request string `db:"request"`
			Data    []byte `db:"data"`
		}
		if err := p.app.DB().Select("request", "data").From("townhall_insight_facts").
			Where(dbx.In("request", ids[start:min(start+500, len(ids))]...)).All(&rows); err != nil {
			return err
		}
		for _, r := range rows {
			f := &insights.Fact{}
			if err := dec.DecodeInto(f, r.Data); err != nil {
				p.app.Logger().Warn("insights: a stored fact could not be read; the figures leave it out", "request", r.Request, "error", err)
				continue
			}
			fresh[r.Request] = f
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for id := range seen {
		i, had := m.pos[id]
		f := fresh[id]
		switch {
		case f != nil && had:
			m.facts[i] = *f
		case f != nil:
			m.pos[id] = len(m.facts)
			m.facts = append(m.facts, *f)
		case had: // gone: the last fact takes its place
			last := len(m.facts) - 1
			if i != last {
				m.facts[i] = m.facts[last]
				m.pos[m.facts[i].ID] = i
			}
			m.facts[last] = insights.Fact{}
			m.facts = m.facts[:last]
			delete(m.pos, id)
		}
	}
	m.seq = changes[len(changes)-1].Seq
	return nil
}

// reloadMirror reads the whole roll-up.
func (p *Portal) reloadMirror(m *insightMirror) error {
	var seq int64
	if err := p.app.DB().NewQuery("SELECT coalesce(max(seq), 0) FROM townhall_insight_changes").Row(&seq); err != nil {
		return err
	}
	facts, err := p.readAllFacts()
	if err != nil {
		return err
	}
	pos := make(map[string]int, len(facts))
	for i := range facts {
		pos[facts[i].ID] = i
	}
	m.mu.Lock()
	m.facts, m.pos, m.seq, m.loaded = facts, pos, seq, true
	m.mu.Unlock()
	return nil
}

// readAllFacts decodes every fact of the roll-up, read as one value (facts
// are self-delimiting): a row a fact costs more in the driver than the
// figures themselves.
func (p *Portal) readAllFacts() ([]insights.Fact, error) {
	return p.decodeFacts(p.app.DB().NewQuery(`SELECT CAST(coalesce(group_concat(data, ''), '') AS BLOB) FROM townhall_insight_facts`))
}
