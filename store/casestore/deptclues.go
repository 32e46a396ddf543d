package casestore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/internal/sanitize"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// Department clues (部门移送): a member unit raises a clue from its console. The clue enters the
// office's triage queue with the other clues (stg_clues__clues reads dept_clues, source 部门移送,
// 核查中 until a verdict is recorded) and is matched and merged like every other channel once
// verified 属实. Its photos are checked and stripped of metadata exactly as a tip's
// (tipstore.CheckEvidence → internal/sanitize) before they reach this store.

// DeptClueInput is a clue as a unit raises it: the township, and the village or coordinates (or
// both), a place in words, the category code, the day it was found and what was seen.
type DeptClueInput struct {
	Township, Village, Lon, Lat, Place, Category, FoundOn, Description string
}

// DeptClue is a raised clue as its unit and the office see it.
type DeptClue struct {
	ID, Unit, Township, Village, Place, Category, FoundOn, Description, RaisedBy, RaisedAt string
	Files                                                                                  int
}

// FileNos numbers the clue's photos from 1, for links.
func (d DeptClue) FileNos() []int { return fileNos(d.Files) }

// ErrClue marks a refused clue (bad input; the message lists every problem).
var ErrClue = errors.New("线索未保存")

// RaiseClue validates and stores a unit's clue with its sanitized photos; audited (clue.raise).
// It returns the clue's id, BM-{n}.
func (s *Store) RaiseClue(ctx context.Context, u *accounts.User, in DeptClueInput, files []sanitize.File) (string, error) {
	if u.Role != accounts.RoleDepartment {
		return "", fmt.Errorf("%w：只有成员单位可以上报线索", ErrForbidden)
	}
	vals, probs := s.checkClue(&in, warehouse.LocalDay(s.cfg.Location(), s.now()))
	if len(probs) > 0 {
		return "", fmt.Errorf("%w：%s", ErrClue, strings.Join(probs, "；"))
	}
	var id string
	err := s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dept_clues`).Scan(&n); err != nil {
			return err
		}
		id = fmt.Sprintf("BM-%04d", n+1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO dept_clues VALUES (?, ?, ?, NULLIF(?, ''), ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?)`,
			id, u.Scope, in.Township, in.Village, vals.lon, vals.lat, in.Place, in.Category, vals.found, in.Description, u.Name,
			warehouse.LocalTimestamp(s.cfg.Location(), au.Now())); err != nil {
			return fmt.Errorf("raise clue: %w", err)
		}
		sums, err := addFiles(ctx, tx, id, 0, files)
		if err != nil {
			return err
		}
		return au.Add(ctx, u.Name, "clue.raise", id, map[string]any{"unit": u.Scope, "township": in.Township, "village": in.Village,
			"category": in.Category, "found_on": in.FoundOn, "files": sums})
	})
	return id, err
}

// AddClueFiles adds sanitized photos to a clue its own unit raised; audited (clue.files). Another
// unit's clue is ErrForbidden, an unknown one ErrNoRef.
func (s *Store) AddClueFiles(ctx context.Context, u *accounts.User, id string, files []sanitize.File) error {
	if len(files) == 0 {
		return fmt.Errorf("%w：请选择要补充的照片", ErrClue)
	}
	unit, err := s.clueUnit(ctx, id)
	if err != nil {
		return err
	}
	if u.Role != accounts.RoleDepartment || unit != u.Scope {
		return fmt.Errorf("%w：线索 %s 由%s上报（%w）", ErrForbidden, id, unit, ErrForbidden)
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dept_clue_files WHERE clue_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n+len(files) > s.cfg.Portal.MaxFiles {
			return fmt.Errorf("%w：每条线索最多 %d 个文件", ErrClue, s.cfg.Portal.MaxFiles)
		}
		sums, err := addFiles(ctx, tx, id, n, files)
		if err != nil {
			return err
		}
		return au.Add(ctx, u.Name, "clue.files", id, map[string]any{"unit": u.Scope, "files": sums})
	})
}

// clueUnit is the unit that raised a department clue (ErrNoRef when there is none).
func (s *Store) clueUnit(ctx context.Context, id string) (string, error) {
	var unit string
	err := s.db.QueryRowContext(ctx, `SELECT unit FROM dept_clues WHERE clue_id = ?`, id).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("线索 %s（%w）", id, ErrNoRef)
	}
	if err != nil {
		return "", fmt.Errorf("clue %s: %w", id, err)
	}
	return unit, nil
}

// addFiles stores files after the clue's first `from` ones; it returns their hashes for the audit.
func addFiles(ctx context.Context, tx *sql.Tx, id string, from int, files []sanitize.File) ([]string, error) {
	var sums []string
	for i, f := range files {
		sum := sha256.Sum256(f.Data)
		h := hex.EncodeToString(sum[:])
		name := fmt.Sprintf("%s-%d", id, from+i+1) // the sender's file name is never stored, as for tips
		if _, err := tx.ExecContext(ctx, `INSERT INTO dept_clue_files VALUES (?, ?, ?, ?, ?, ?)`, id, from+i+1, name, f.MIME, h, f.Data); err != nil {
			return nil, fmt.Errorf("clue %s file %d: %w", id, from+i+1, err)
		}
		sums = append(sums, h)
	}
	return sums, nil
}

// ClueFile is one stored photo of a department clue, for the raising unit and the office (others:
// ErrForbidden; an unknown clue or file: ErrNoRef).
func (s *Store) ClueFile(ctx context.Context, u *accounts.User, id string, seq int) (mime string, data []byte, err error) {
	unit, err := s.clueUnit(ctx, id)
	if err != nil {
		return "", nil, err
	}
	if u.Role != accounts.RoleOffice && !(u.Role == accounts.RoleDepartment && u.Scope == unit) {
		return "", nil, fmt.Errorf("%w：线索 %s 由%s上报", ErrForbidden, id, unit)
	}
	err = s.db.QueryRowContext(ctx, `SELECT mime, data FROM dept_clue_files WHERE clue_id = ? AND seq = ?`, id, seq).Scan(&mime, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("线索 %s 文件 %d（%w）", id, seq, ErrNoRef)
	}
	return mime, data, err
}

// DeptClues lists the clues u's unit raised (the office: every unit's), newest first.
func (s *Store) DeptClues(ctx context.Context, u *accounts.User) ([]DeptClue, error) {
	q := `SELECT c.clue_id, c.unit, c.township, coalesce(c.village, ''), coalesce(c.place, ''), coalesce(c.category, ''),
		strftime(c.found_on, '%Y-%m-%d'), c.description, c.raised_by, strftime(c.raised_at, '%Y-%m-%d %H:%M'),
		(SELECT count(*) FROM dept_clue_files f WHERE f.clue_id = c.clue_id)
		FROM dept_clues c`
	var args []any
	if u.Role != accounts.RoleOffice {
		q += ` WHERE c.unit = ?`
		args = append(args, u.Scope)
	}
	var out []DeptClue
	err := warehouse.EachRow(ctx, s.db, q+` ORDER BY c.raised_at DESC, c.clue_id DESC LIMIT `+strconv.Itoa(ListCap), args, func(rs *sql.Rows) error {
		var d DeptClue
		if err := rs.Scan(&d.ID, &d.Unit, &d.Township, &d.Village, &d.Place, &d.Category, &d.FoundOn, &d.Description, &d.RaisedBy, &d.RaisedAt, &d.Files); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

type clueValues struct {
	lon, lat any
	found    time.Time
}

// checkClue checks a clue (trimming it in place) and lists every problem.
func (s *Store) checkClue(in *DeptClueInput, today time.Time) (v clueValues, probs []string) {
	for _, p := range []*string{&in.Township, &in.Village, &in.Lon, &in.Lat, &in.Place, &in.Category, &in.FoundOn, &in.Description} {
		*p = strings.TrimSpace(*p)
	}
	t, ok := s.cfg.Township(in.Township)
	if ok {
		in.Township = t.Name // 郭道 is 郭道镇 (campaign.Config.Township)
	}
	switch {
	case in.Township == "":
		probs = append(probs, "请选择乡镇")
	case !ok:
		probs = append(probs, fmt.Sprintf("“%s”不是本县的乡镇", in.Township))
	case in.Village != "" && !slices.Contains(t.Villages, in.Village):
		probs = append(probs, fmt.Sprintf("%s没有“%s”这个村", in.Township, in.Village))
	}
	if (in.Lon == "") != (in.Lat == "") {
		probs = append(probs, "经度和纬度需同时填写")
	} else if in.Lon != "" {
		lon, e1 := strconv.ParseFloat(in.Lon, 64)
		lat, e2 := strconv.ParseFloat(in.Lat, 64)
		if e1 != nil || e2 != nil || !s.cfg.County.BBox.Contains(lon, lat) {
			probs = append(probs, fmt.Sprintf("坐标 %s, %s 不在本县范围内", in.Lon, in.Lat))
		} else {
			v.lon, v.lat = lon, lat
		}
	}
	if in.Village == "" && in.Lon == "" {
		probs = append(probs, "请填写村或坐标（至少一项）")
	}
	if in.Category != "" {
		if _, ok := s.cfg.Category(in.Category); !ok {
			probs = append(probs, fmt.Sprintf("“%s”不是配置中的问题类别", in.Category))
		}
	}
	found, err := time.Parse(time.DateOnly, in.FoundOn)
	switch {
	case in.FoundOn == "":
		probs = append(probs, "请填写发现日期")
	case err != nil:
		probs = append(probs, fmt.Sprintf("发现日期“%s”格式应为 年-月-日", in.FoundOn))
	case found.After(today):
		probs = append(probs, fmt.Sprintf("发现日期 %s 晚于今天", in.FoundOn))
	case found.Year() != s.cfg.Campaign.Year:
		probs = append(probs, fmt.Sprintf("发现日期 %s 不在专项行动年度（%d年）内", in.FoundOn, s.cfg.Campaign.Year))
	}
	v.found = found
	if in.Description == "" {
		probs = append(probs, "请描述现场情况")
	}
	if len([]rune(in.Description)) > 2000 || len([]rune(in.Place)) > 200 {
		probs = append(probs, "现场情况最多 2000 字，地点最多 200 字")
	}
	return v, probs
}
