package tipstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/internal/sanitize"
	"landwatch/store/accounts"
	"landwatch/store/notify"
	"landwatch/warehouse"
)

// Tip statuses, in the order a tip moves through them: the words of the label table's tip_status
// (campaign/labels.go, dim_labels), which tips.status holds.
var (
	StatusReceived = campaign.Label("tip_status", "received")
	StatusChecking = campaign.Label("tip_status", "checking")
	StatusTrue     = campaign.Label("tip_status", "true")
	StatusFalse    = campaign.Label("tip_status", "false")
	StatusFiled    = campaign.Label("tip_status", "filed")
	StatusRewarded = campaign.Label("tip_status", "rewarded")
	StatusPaid     = campaign.Label("tip_status", "paid")
)

// TipInput is what a citizen sends.
type TipInput struct {
	Category    string   `json:"category"` // M1…L4, or empty when the citizen is not sure
	Township    string   `json:"township"`
	Village     string   `json:"village"`
	Place       string   `json:"place"`
	Description string   `json:"description"`
	SeenOn      string   `json:"seen_on"` // YYYY-MM-DD, optional
	Lon         *float64 `json:"lon"`
	Lat         *float64 `json:"lat"`
	Contact     string   `json:"contact"`
	// Officials: the tipster ticked 涉及公职人员 (保护伞、通风报信): only discipline inspection sees the tip.
	Officials bool   `json:"about_officials"`
	PowToken  string `json:"pow_token"`
	PowNonce  string `json:"pow_nonce"`
}

// clone copies every string of the input.
func (in TipInput) clone() TipInput {
	for _, p := range []*string{&in.Category, &in.Township, &in.Village, &in.Place, &in.Description, &in.SeenOn, &in.Contact,
		&in.PowToken, &in.PowNonce} {
		*p = strings.Clone(*p)
	}
	return in
}

// InputError lists what is wrong with a submission, field by field, in Chinese.
type InputError struct{ Fields map[string]string }

// fieldNames are the form's own words for its fields, in the form's order.
var fieldNames = []struct{ key, name string }{{"channel", "来源"}, {"township", "乡镇"}, {"village", "村"}, {"category", "类别"},
	{"place", "地点"}, {"description", "内容"}, {"seen_on", "发现日期"}, {"coordinates", "坐标"}, {"contact", "联系方式"},
	{"files", "材料"}, {"body", "留言"}}

func (e *InputError) Error() string {
	var parts []string
	for _, f := range fieldNames {
		if m, ok := e.Fields[f.key]; ok {
			parts = append(parts, f.name+"："+m)
		}
	}
	return "提交内容有误：" + strings.Join(parts, "；")
}

func (s *Store) Today() time.Time { return warehouse.LocalDay(s.cfg.Location(), s.now()) }

// Validate checks a tip against the configuration; the returned values are cleaned.
func (s *Store) Validate(in *TipInput) (seen *time.Time, err error) {
	f := map[string]string{}
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	trim(&in.Category)
	trim(&in.Township)
	trim(&in.Village)
	trim(&in.Place)
	trim(&in.Description)
	trim(&in.SeenOn)
	trim(&in.Contact)
	t, ok := s.cfg.Township(in.Township)
	if ok {
		in.Township = t.Name // 郭道 is 郭道镇 (campaign.Config.Township)
	}
	switch {
	case in.Township == "":
		f["township"] = "请选择乡镇"
	case !ok:
		f["township"] = fmt.Sprintf("“%s”不是本县的乡镇", in.Township)
	case in.Village != "" && !t.HasVillage(in.Village):
		f["village"] = fmt.Sprintf("%s没有“%s”", in.Township, in.Village)
	}
	if in.Category != "" {
		if _, ok := s.cfg.Category(in.Category); !ok {
			f["category"] = fmt.Sprintf("未知的类别“%s”", in.Category)
		}
	}
	if in.Description == "" {
		f["description"] = "请写明看到了什么"
	} else if utf8.RuneCountInString(in.Description) > 5000 {
		f["description"] = "不超过 5000 字"
	}
	if utf8.RuneCountInString(in.Place) > 200 {
		f["place"] = "不超过 200 字"
	}
	if utf8.RuneCountInString(in.Contact) > 200 {
		f["contact"] = "不超过 200 字"
	}
	if in.SeenOn != "" {
		d, err := time.Parse("2006-01-02", in.SeenOn)
		switch {
		case err != nil:
			f["seen_on"] = "日期格式应为 年-月-日，例如 2023-03-05"
		case d.After(s.Today()):
			f["seen_on"] = "日期不能晚于今天"
		default:
			seen = &d
		}
	}
	switch {
	case in.Lon == nil && in.Lat == nil:
	case in.Lon == nil || in.Lat == nil:
		f["coordinates"] = "经度和纬度要同时填写"
	case !s.cfg.County.BBox.Contains(*in.Lon, *in.Lat):
		f["coordinates"] = fmt.Sprintf("坐标不在%s范围内", s.cfg.County.Name)
	}
	if len(f) > 0 {
		return nil, &InputError{f}
	}
	return seen, nil
}

// Receipt is the answer to a stored tip: the code is shown once and never stored.
type Receipt struct {
	Code  string
	TipID string
}

// Evidence is a file a citizen sends: its type is decided by content, and image metadata is
// stripped before it is stored.
type Evidence struct {
	Name string
	Data []byte
}

// SubmitTip validates and stores a tip with its evidence files and returns the receipt. It returns
// when the tip is committed to disk. Rate limits and form tokens are the HTTP handlers' business;
// the demo and tests may call it directly.
func (s *Store) SubmitTip(ctx context.Context, in TipInput, files []Evidence) (Receipt, error) {
	ups, err := s.CheckEvidence(files)
	if err != nil {
		return Receipt{}, err
	}
	return s.Submit(ctx, in, ups)
}

// CheckEvidence checks count, size and type of every file and strips image metadata.
func (s *Store) CheckEvidence(files []Evidence) ([]sanitize.File, error) {
	if len(files) > s.cfg.Portal.MaxFiles {
		return nil, &InputError{map[string]string{"files": fmt.Sprintf("最多 %d 个文件", s.cfg.Portal.MaxFiles)}}
	}
	var ups []sanitize.File
	for _, f := range files {
		u, err := sanitize.Check(f.Name, f.Data, int64(s.cfg.Portal.MaxFileMB)<<20, s.cfg.Portal.MaxPixels())
		if err != nil {
			return nil, &InputError{map[string]string{"files": err.Error()}}
		}
		ups = append(ups, u)
	}
	return ups, nil
}

func (s *Store) Submit(ctx context.Context, in TipInput, files []sanitize.File) (Receipt, error) {
	return s.submit(ctx, in, files, origin{channel: ChannelWeb})
}

// The channels a tip arrives by: the public form or API, or the office entering a call or a letter.
const (
	ChannelWeb    = "网络"
	ChannelPhone  = "电话"
	ChannelLetter = "信件"
)

// origin is how a tip arrived and, for one entered by staff, who entered it.
type origin struct{ channel, by string }

// Enter stores a tip the office took by phone or letter on the tipster's behalf; the receipt code
// is handed over on paper. Only the office enters tips; a tip about officials entered this way
// goes to discipline inspection like any other.
func (s *Store) Enter(ctx context.Context, u *accounts.User, channel string, in TipInput, files []sanitize.File) (Receipt, error) {
	if u.Role != accounts.RoleOffice {
		return Receipt{}, fmt.Errorf("只有%s可以代为登记电话、信件举报", accounts.RoleNames[accounts.RoleOffice])
	}
	if channel != ChannelPhone && channel != ChannelLetter {
		return Receipt{}, &InputError{map[string]string{"channel": "请选择“电话”或“信件”"}}
	}
	return s.submit(ctx, in, files, origin{channel: channel, by: strings.Clone(u.Name)})
}

func (s *Store) submit(ctx context.Context, in TipInput, files []sanitize.File, from origin) (Receipt, error) {
	seen, err := s.Validate(&in)
	if err != nil {
		return Receipt{}, err
	}
	if len(files) > s.cfg.Portal.MaxFiles {
		return Receipt{}, &InputError{map[string]string{"files": fmt.Sprintf("最多 %d 个文件", s.cfg.Portal.MaxFiles)}}
	}
	code, err := newDigits(16)
	if err != nil {
		return Receipt{}, err
	}
	lookup := s.keys.LookupKey("receipt", code)
	// on its way to the committer from here: the committer waits a moment for such tips so that
	// one commit carries them (commitBatch)
	s.coming.Add(1)
	arrived := sync.OnceFunc(func() { s.coming.Add(-1) })
	defer arrived()
	hash, err := s.hasher.HashCode(code)
	if err != nil {
		return Receipt{}, err
	}
	stored, err := storeFiles(s.filesDir, files)
	if err != nil {
		return Receipt{}, err
	}
	// the committer goroutine gets copies: the strings of a form may point into the request's buffer
	j := &tipJob{in: in.clone(), from: from, seen: seen, lookup: lookup, hash: hash, stored: stored, done: make(chan error, 1)}
	// the number and the sealed text are made here, in the request's goroutine, so that the
	// committer only writes; it draws again in the rare case the number is taken or the day turned
	if err := s.number(j, s.Today()); err != nil {
		removeFiles(s.filesDir, stored)
		return Receipt{}, err
	}
	arrived()
	select {
	case s.tipq <- j:
	case <-ctx.Done():
		removeFiles(s.filesDir, stored)
		return Receipt{}, ctx.Err()
	case <-s.stopped:
		removeFiles(s.filesDir, stored)
		return Receipt{}, ErrClosed
	}
	if err := s.awaitCommit(j); err != nil {
		removeFiles(s.filesDir, stored)
		return Receipt{}, err
	}
	return Receipt{Code: code, TipID: j.id}, nil
}

// tipJob is a validated, hashed tip waiting for the committer, with its number and sealed text.
type tipJob struct {
	in     TipInput
	from   origin
	seen   *time.Time
	lookup string
	hash   string
	stored []storedFile
	id     string
	sealed map[string]string // place, description and contact sealed for id
	done   chan error
}

// number gives j a fresh tip number of day and seals its free text for that number.
func (s *Store) number(j *tipJob, day time.Time) error {
	id, err := drawTipID(day)
	if err != nil {
		return err
	}
	sealed := map[string]string{"place": j.in.Place, "description": j.in.Description, "contact": j.in.Contact}
	for f, v := range sealed {
		if sealed[f], err = s.keys.Seal("tips."+f, id, v); err != nil {
			return err
		}
	}
	j.id, j.sealed = id, sealed
	return nil
}

// maxBatch bounds how many tips one commit carries.
const maxBatch = 64

// maxLinger bounds how long the committer waits for tips still being hashed or waiting for a hash
// slot: several receipt hashes, so that under a stream of tips a commit carries several (measured
// with `landwatch bench tips`: at about one hash, most commits carried two tips and their commits
// cost an eighth of the server's CPU; at 100 ms 4.3 tips a commit and 1.9–2.1 ms of CPU a tip, at
// 200 ms 7.8 tips and 1.3 ms — a commit's statements cost about as much for one tip as for ten); a
// lone tip is not kept waiting, as nothing else is coming.
const maxLinger = 200 * time.Millisecond

// ErrClosed refuses a tip that arrives after the server was closed.
var ErrClosed = errors.New("服务正在停止，举报未保存，请稍后再试")

// awaitCommit waits for the committer's answer to j; a job the committer never took (it stopped
// first) is refused.
func (s *Store) awaitCommit(j *tipJob) error {
	select {
	case err := <-j.done:
		return err
	case <-s.stopped:
		select { // answered just before it stopped
		case err := <-j.done:
			return err
		default:
			return ErrClosed
		}
	}
}

func (s *Store) startCommitter() {
	go func() {
		defer close(s.stopped)
		for {
			select {
			case j := <-s.tipq:
				s.commitBatch(j)
			case <-s.quit:
				for { // what was queued before Close is still committed
					select {
					case j := <-s.tipq:
						s.commitBatch(j)
					default:
						return
					}
				}
			}
		}
	}()
}

// commitBatch is the group committer: it takes j and the tips waiting behind it, stores them in one
// transaction (one write-ahead-log sync for all) and answers each only after the commit. When a
// batch fails, its tips are retried one by one, so that one bad tip cannot fail the others.
func (s *Store) commitBatch(j *tipJob) {
	batch := []*tipJob{j}
	// while tips are being hashed on their way here, wait for them (at most maxLinger): a commit
	// costs about as much for one tip as for many, and under load it is the only work besides
	// the hashes
	var linger <-chan time.Time
drain:
	for len(batch) < maxBatch {
		select {
		case j := <-s.tipq:
			batch = append(batch, j)
			continue
		default:
		}
		if s.coming.Load() == 0 {
			break
		}
		if linger == nil {
			t := time.NewTimer(maxLinger)
			defer t.Stop()
			linger = t.C
		}
		select {
		case j := <-s.tipq:
			batch = append(batch, j)
		case <-linger:
			break drain
		case <-s.quit:
			break drain
		}
	}
	if err := s.storeTips(batch); err == nil || len(batch) == 1 {
		for _, j := range batch {
			j.done <- err
		}
		return
	}
	for _, j := range batch {
		j.done <- s.storeTips([]*tipJob{j})
	}
}

func (s *Store) storeTips(batch []*tipJob) error {
	ctx := context.Background() // a client hanging up must not undo a tip half-way
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error { return s.insertTips(ctx, tx, au, batch) })
}

// insertTips writes a batch of tips, their files, notices and audit entries with a few statements
// for the whole batch; called by the committer only. Numbers that are taken (or of another day than
// the commit's) are drawn again first.
func (s *Store) insertTips(ctx context.Context, tx *sql.Tx, au *audit.Tx, batch []*tipJob) error {
	day := warehouse.LocalDay(s.cfg.Location(), au.Now())
	if err := s.freeNumbers(ctx, tx, batch, day); err != nil {
		return err
	}
	// to the hour: a finer time could be matched with a phone's or a network's records
	local := s.LocalNow(au.Now()).Truncate(time.Hour)
	vals := make([]string, len(batch))
	var args []any
	for i, j := range batch {
		in := j.in
		vals[i] = "(?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?)"
		args = append(args, j.id, local, day, in.Category, in.Township, in.Village, j.sealed["place"], j.sealed["description"], j.seen, in.Lon, in.Lat,
			j.sealed["contact"], StatusReceived, j.lookup, j.hash, local, nil, j.from.channel, j.from.by, in.Officials)
	}
	// the rows as stored come back for the audit entries, which bind them (audit.Returning)
	ret, err := audit.Returning("tips")
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO tips (tip_id, received_at, received_on, category, township, village,
		place, description, seen_on, lon, lat, contact, status, receipt_lookup, receipt_hash, updated_at, tip_seq, channel, entered_by, confidential)
		VALUES `+strings.Join(vals, ", ")+" "+ret, args...)
	if err != nil {
		return fmt.Errorf("store tip: %w", err)
	}
	stored := map[string]audit.Returned{}
	for rows.Next() {
		r, err := audit.ScanReturned(rows, "tips")
		if err != nil {
			rows.Close()
			return fmt.Errorf("store tip: %w", err)
		}
		stored[r.Key()] = r
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("store tip: %w", err)
	}
	items := make([]audit.Item, len(batch))
	var notices []notify.Notice
	var files []storedFile
	var fileTips, fileBy []string
	for i, j := range batch {
		actor := "citizen"
		if j.from.by != "" {
			actor = j.from.by
		}
		for _, f := range j.stored {
			files, fileTips, fileBy = append(files, f), append(fileTips, j.id), append(fileBy, actor)
		}
		if j.in.Officials { // the batch's notices go in one statement below
			notices = append(notices, notice(notify.To{Role: accounts.RoleDiscipline}, notify.KindAssigned, j.id,
				fmt.Sprintf("收到涉及公职人员的举报 %s（%s），请纪检监察办理", j.id, j.in.Township), local))
		}
		items[i] = audit.Item{Actor: actor, Action: "tip.received", Object: j.id, Detail: map[string]any{"status": StatusReceived,
			"township": j.in.Township, "files": len(j.stored), "channel": j.from.channel, "confidential": j.in.Officials, "bound": stored[j.id]}}
		if _, ok := stored[j.id]; !ok {
			return fmt.Errorf("store tip %s: not stored", j.id)
		}
	}
	if err := notify.SendAll(ctx, tx, notices); err != nil {
		return err
	}
	if len(files) > 0 {
		vals, args = vals[:0], args[:0]
		for i, f := range files {
			vals = append(vals, "(?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, f.ID, fileTips[i], f.Kind, f.MIME, f.Size, f.SHA256, local, fileBy[i])
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tip_files VALUES `+strings.Join(vals, ", "), args...); err != nil {
			return fmt.Errorf("store evidence record: %w", err)
		}
	}
	return au.AddAll(ctx, items)
}

// freeNumbers draws a new number for every tip of the batch whose number is of another day than
// day, already taken, or taken by another tip of the batch.
func (s *Store) freeNumbers(ctx context.Context, tx *sql.Tx, batch []*tipJob, day time.Time) error {
	prefix := "T" + day.Format("20060102") + "-"
	for _, j := range batch {
		if !strings.HasPrefix(j.id, prefix) {
			if err := s.number(j, day); err != nil {
				return err
			}
		}
	}
	for range 8 {
		ids := make([]any, len(batch))
		for i, j := range batch {
			ids[i] = j.id
		}
		taken := map[string]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT tip_id FROM tips WHERE tip_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			taken[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		again := false
		for _, j := range batch {
			if taken[j.id] {
				if err := s.number(j, day); err != nil {
					return err
				}
				again = true
			}
			taken[j.id] = true // a later tip of the batch with the same number draws again
		}
		if !again {
			return nil
		}
	}
	return errors.New("no free tip number")
}

// tipIDLetters are the letters of a tip number's random part: digits and capitals without 0, 1,
// I, L, O, which are misread when a number is read out on the phone or copied from paper.
const tipIDLetters = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// drawTipID is a new tip's number: T, the day it arrived, and six random letters (31^6, about 887
// million, per day). A number says nothing of the tips before it or of how many there are — the
// office sees no gap where a tip about officials, which only discipline inspection sees, took a
// place, and a township cannot count the tips of a day from the numbers it is given. The committer
// draws again in the rare case it is taken (freeNumbers).
func drawTipID(day time.Time) (string, error) {
	b := make([]byte, 0, 6)
	for len(b) < 6 {
		var r [16]byte
		if _, err := rand.Read(r[:]); err != nil {
			return "", err
		}
		for _, x := range r {
			if int(x) < 256/len(tipIDLetters)*len(tipIDLetters) && len(b) < 6 { // no modulo bias
				b = append(b, tipIDLetters[int(x)%len(tipIDLetters)])
			}
		}
	}
	return "T" + day.Format("20060102") + "-" + string(b), nil
}

func insertFiles(ctx context.Context, tx *sql.Tx, tipID string, fs []storedFile, by string, at time.Time) error {
	for _, f := range fs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tip_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, tipID, f.Kind, f.MIME, f.Size, f.SHA256, at, by); err != nil {
			return fmt.Errorf("store evidence record: %w", err)
		}
	}
	return nil
}

// ErrNoReceipt is the answer to a wrong receipt: the same for an unknown code and a bad hash.
var ErrNoReceipt = errors.New("回执码无效：请核对 16 位数字")

// FindTip resolves a receipt to its tip id.
func (s *Store) FindTip(ctx context.Context, code string) (string, error) {
	code = NormCode(code)
	if len(code) != 16 {
		return "", ErrNoReceipt
	}
	var id, hash string
	err := s.db.QueryRowContext(ctx, `SELECT tip_id, receipt_hash FROM tips WHERE receipt_lookup = ?`,
		s.keys.LookupKey("receipt", code)).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNoReceipt
	}
	if err != nil {
		return "", err
	}
	if !s.hasher.CheckCode(code, hash) {
		return "", ErrNoReceipt
	}
	return id, nil
}

// CitizenView is what a receipt shows.
type CitizenView struct {
	Status    string         `json:"status"`
	Steps     []Step         `json:"-"`
	Received  string         `json:"received_on"`
	Township  string         `json:"township"`
	Category  string         `json:"category,omitempty"`
	Files     int            `json:"files"`
	Messages  []CitizenMsg   `json:"messages"`
	Reward    *CitizenReward `json:"reward,omitempty"`
	ClaimCode string         `json:"claim_code,omitempty"` // shown once, when first issued
}

// Step is one stage of the status line.
type Step struct {
	Name    string
	Done    bool
	Now     bool
	Skipped bool `json:",omitempty"`
}

type CitizenMsg struct {
	From string `json:"from"` // 您 / 办公室
	Body string `json:"body"`
	At   string `json:"at"`
}

type CitizenReward struct {
	AmountYuan string `json:"amount_yuan"`
	ApprovedOn string `json:"approved_on"`
	Paid       bool   `json:"paid"`
	PaidOn     string `json:"paid_on,omitempty"`
	PaidYuan   string `json:"paid_yuan,omitempty"`
	HasClaim   bool   `json:"claim_code_issued"`
}

// CitizenView reads the tip for its sender. A claim code is issued the first time a sender sees an
// approved reward (and shown in that answer only).
func (s *Store) CitizenView(ctx context.Context, tipID string) (*CitizenView, error) {
	v := &CitizenView{}
	var recv time.Time
	var cat sql.NullString
	var filed bool
	if err := s.db.QueryRowContext(ctx, `SELECT status, received_on, township, category,
		(SELECT count(*) FROM tip_files f WHERE f.tip_id = t.tip_id),
		EXISTS (SELECT 1 FROM tip_history h WHERE h.tip_id = t.tip_id AND h.action = 'status' AND h.value = ?)
		FROM tips t WHERE tip_id = ?`, StatusFiled, tipID).
		Scan(&v.Status, &recv, &v.Township, &cat, &v.Files, &filed); err != nil {
		return nil, err
	}
	v.Received = recv.Format("2006-01-02")
	if c, ok := s.cfg.Category(cat.String); ok {
		v.Category = c.Plain
	}
	v.Steps = steps(v.Status, filed)
	ms, err := s.messages(ctx, tipID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		from := "办公室"
		if m.sender == "citizen" {
			from = "您"
		}
		v.Messages = append(v.Messages, CitizenMsg{From: from, Body: m.body, At: m.at.Format("2006-01-02 15:04")})
	}
	r, err := s.RewardOf(ctx, tipID)
	if err != nil || r == nil {
		return v, err
	}
	v.Reward = &CitizenReward{AmountYuan: r.Amount, ApprovedOn: r.ApprovedOn, Paid: r.PaidOn != "", PaidOn: r.PaidOn, PaidYuan: r.PaidYuan, HasClaim: r.ClaimIssued}
	if !r.ClaimIssued && r.PaidOn == "" {
		code, err := s.IssueClaimCode(ctx, tipID, r.ID, false)
		switch {
		case errors.Is(err, errClaimIssued), errors.Is(err, errClaimPaid):
			// another view of the same receipt issued it (or it was paid) a moment ago: the code is
			// shown once, to that view
		case err != nil:
			return nil, err
		default:
			v.ClaimCode = code
		}
		v.Reward.HasClaim = true
	}
	return v, nil
}

// steps is the citizen's progress bar. 已立案 is shown done only for a tip that was filed as a case:
// a tip rewarded without a case skips it (Skipped), it is never shown as a step taken.
func steps(status string, filed bool) []Step {
	names := []string{StatusReceived, StatusChecking, "属实/不属实", StatusFiled, StatusRewarded, StatusPaid}
	at := map[string]int{StatusReceived: 0, StatusChecking: 1, StatusTrue: 2, StatusFalse: 2, StatusFiled: 3, StatusRewarded: 4, StatusPaid: 5}[status]
	var out []Step
	for i, n := range names {
		if i == 2 && at >= 2 {
			if status == StatusFalse {
				n = StatusFalse
			} else {
				n = StatusTrue
			}
		}
		st := Step{Name: n, Done: i <= at, Now: i == at}
		if i == 3 && at > 3 && !filed {
			st = Step{Name: "未立案", Skipped: true}
		}
		out = append(out, st)
		if status == StatusFalse && i == 2 {
			break
		}
	}
	return out
}

// AddMessage stores a message on a tip; sender is "citizen" or "office".
func (s *Store) AddMessage(ctx context.Context, tipID, sender, author, body string) error {
	body = strings.TrimSpace(body)
	if body == "" {
		return &InputError{map[string]string{"body": "留言不能为空"}}
	}
	if utf8.RuneCountInString(body) > 2000 {
		return &InputError{map[string]string{"body": "留言不超过 2000 字"}}
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(msg_no), 0) FROM tip_messages WHERE tip_id = ?`, tipID).Scan(&n); err != nil {
			return err
		}
		var a any
		if author != "" {
			a = author
		}
		sealed, err := s.keys.Seal("tip_messages.body", tipID, body)
		if err != nil {
			return err
		}
		at := s.LocalNow(au.Now())
		if sender == "citizen" {
			at = at.Truncate(time.Hour)
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO tip_messages VALUES (?, ?, ?, ?, ?, ?)`, tipID, n+1, sender, a, sealed, at); err != nil {
			return err
		}
		return s.tellMessage(ctx, tx, tipID, sender, author, at)
	})
}

// tellMessage notifies whom a message on a tip concerns: a citizen's message goes to the office
// handling the tip and to its assignee; a township's or member unit's message is its answer to
// the office. The office's own messages are for the citizen only.
func (s *Store) tellMessage(ctx context.Context, tx *sql.Tx, tipID, sender, author string, at time.Time) error {
	office := &accounts.User{Role: accounts.RoleOffice}
	f, err := factsFor(ctx, tx, office, tipID)
	if err != nil { // about officials: discipline inspection handles it
		if f, err = factsFor(ctx, tx, &accounts.User{Role: accounts.RoleDiscipline}, tipID); err != nil {
			return err
		}
	}
	if sender == "citizen" {
		body := fmt.Sprintf("举报人对举报 %s 留言，请查看并答复", tipID)
		if err := tell(ctx, tx, f.handler(), notify.KindAnswered, tipID, body, at); err != nil {
			return err
		}
		if to, ok := s.assignee(f); ok {
			return tell(ctx, tx, to, notify.KindAnswered, tipID, body, at)
		}
		return nil
	}
	var role, scope sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT role, scope FROM users WHERE username = ?`, author).Scan(&role, &scope); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if r := accounts.Role(role.String); r == accounts.RoleTownship || r == accounts.RoleDepartment {
		return tell(ctx, tx, f.handler(), notify.KindAnswered, tipID, fmt.Sprintf("%s 对举报 %s 留言答复", scope.String, tipID), at)
	}
	return nil
}

// AddEvidence stores more files for a tip.
func (s *Store) AddEvidence(ctx context.Context, tipID, by string, files []sanitize.File) error {
	if len(files) == 0 {
		return &InputError{map[string]string{"files": "请选择要补充的文件"}}
	}
	var have int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM tip_files WHERE tip_id = ?`, tipID).Scan(&have); err != nil {
		return err
	}
	limit := 4 * s.cfg.Portal.MaxFiles
	if have+len(files) > limit {
		return &InputError{map[string]string{"files": fmt.Sprintf("每条举报最多 %d 个文件，已有 %d 个", limit, have)}}
	}
	stored, err := storeFiles(s.filesDir, files)
	if err != nil {
		return err
	}
	err = s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		at := s.LocalNow(au.Now())
		if by == "citizen" {
			at = at.Truncate(time.Hour)
		}
		if err := insertFiles(ctx, tx, tipID, stored, by, at); err != nil {
			return err
		}
		return au.Add(ctx, by, "tip.evidence", tipID, map[string]any{"files": len(stored)})
	})
	if err != nil {
		removeFiles(s.filesDir, stored)
	}
	return err
}

// LocalNow is the county's wall clock as a naive timestamp (the warehouse's TIMESTAMP columns).
func (s *Store) LocalNow(t time.Time) time.Time { return warehouse.LocalTimestamp(s.cfg.Location(), t) }
