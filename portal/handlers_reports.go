package portal

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/audit"
	"landwatch/queries"
	"landwatch/reports"
	"landwatch/store/accounts"
)

// The reports' pages in the portal: the ECharts script, the public statistics page and its CSV
// downloads, the staff chart dashboard, the weekly briefings folder, the accountability dossiers,
// and the media role's review-and-publish step (routes.go mounts them).

// chartPage answers a chart page under the portal's Content-Security-Policy, with a nonce for the
// page's own <style> and <script> elements.
func (s *Server) chartPage(c *fiber.Ctx, o reports.PageOptions, render func(*bytes.Buffer, reports.PageOptions) error) error {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	o.Nonce = base64.RawURLEncoding.EncodeToString(b)
	var buf bytes.Buffer
	if err := render(&buf, o); err != nil {
		if errors.Is(err, queries.ErrNotBuilt) {
			return s.renderStatus(c, fiber.StatusServiceUnavailable, "error", page{Title: "数据尚未计算",
				Error: "请办公室先更新统计后再查看图表。 " + err.Error()})
		}
		return err
	}
	c.Set("Content-Security-Policy", fmt.Sprintf("default-src 'self'; img-src 'self' data:; style-src 'self' 'nonce-%[1]s'; "+
		"script-src 'self' 'nonce-%[1]s'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'", o.Nonce))
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

func (s *Server) statsPublic(c *fiber.Ctx) error {
	return s.chartPage(c, reports.PageOptions{CSVBase: "/stats/", Back: "/tip", BackText: "我要举报"}, func(b *bytes.Buffer, o reports.PageOptions) error {
		return reports.PublicPage(c.UserContext(), s.db, b, o)
	})
}

func (s *Server) statsCSV(c *fiber.Ctx) error {
	chart := param(c, "chart")
	var buf bytes.Buffer
	err := reports.PublicCSV(c.UserContext(), s.db, chart, &buf)
	switch {
	case errors.Is(err, reports.ErrNotPublished), errors.Is(err, reports.ErrUnknownChart):
		return fiber.ErrNotFound
	case err != nil:
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.csv"`, chart))
	return c.Send(buf.Bytes())
}

func (s *Server) chartsPage(c *fiber.Ctx, u *accounts.User) error {
	o := reports.PageOptions{Back: "/staff/"}
	if u.Role == accounts.RoleTownship {
		o.Township = u.Scope
	}
	return s.chartPage(c, o, func(b *bytes.Buffer, o reports.PageOptions) error {
		return reports.Dashboard(c.UserContext(), s.db, b, o)
	})
}

func (s *Server) briefingsData(c *fiber.Ctx, u *accounts.User) (map[string]any, error) {
	list, err := reports.Briefings(c.UserContext(), s.db)
	if err != nil {
		return nil, err
	}
	runAsOf, err := queries.LatestAsOf(c.UserContext(), s.db)
	run := ""
	if err == nil {
		run = runAsOf.Format(time.DateOnly)
	}
	var towns []string
	if u.Role == accounts.RoleOffice || u.Role == accounts.RoleDiscipline {
		for _, t := range s.cfg.Townships {
			towns = append(towns, t.Name)
		}
	}
	return map[string]any{"List": list, "RunAsOf": run, "CanWrite": u.Role == accounts.RoleOffice, "Townships": towns}, nil
}

func (s *Server) briefingsPage(c *fiber.Ctx, u *accounts.User) error {
	data, err := s.briefingsData(c, u)
	if err != nil {
		return err
	}
	return s.render(c, "reports_briefings", page{Title: "工作周报与追责材料", Data: data})
}

// briefingsPost writes the briefing as of the last models run into the briefings folder.
func (s *Server) briefingsPost(c *fiber.Ctx, u *accounts.User) error {
	p := page{Title: "工作周报与追责材料"}
	asOf, err := queries.LatestAsOf(c.UserContext(), s.db)
	if err == nil {
		var path string
		path, err = reports.WriteBriefing(c.UserContext(), s.db, reports.BriefingsDir(s.db.Path), asOf, u.Name)
		if err == nil {
			p.Notice = fmt.Sprintf("已生成截至%s的工作周报：%s", asOf.Format(time.DateOnly), filepath.Base(path))
			err = s.tx(c.UserContext(), func(tx *sql.Tx, au *audit.Tx) error {
				return au.Add(c.UserContext(), u.Name, "briefing.written", filepath.Base(path), map[string]any{"as_of": asOf.Format(time.DateOnly)})
			})
		}
	}
	if err != nil {
		p.Error = "生成失败：" + err.Error()
	}
	if p.Data, err = s.briefingsData(c, u); err != nil {
		return err
	}
	code := fiber.StatusOK
	if p.Error != "" {
		code = fiber.StatusUnprocessableEntity
	}
	return s.renderStatus(c, code, "reports_briefings", p)
}

func (s *Server) briefingFile(c *fiber.Ctx, u *accounts.User) error {
	name := param(c, "file")
	if name != filepath.Base(name) || !strings.HasPrefix(name, "briefing-") || !strings.HasSuffix(name, ".pdf") {
		return fiber.ErrNotFound
	}
	data, err := os.ReadFile(filepath.Join(reports.BriefingsDir(s.db.Path), name))
	if errors.Is(err, os.ErrNotExist) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="%s"; filename*=UTF-8''%s`, name, url.PathEscape(reports.DownloadName(name))))
	return c.Send(data)
}

// dossierPDF writes a township's accountability dossier as of the last models run, or the last
// run that has data for the accountability figures when theirs stop earlier.
func (s *Server) dossierPDF(c *fiber.Ctx, u *accounts.User) error {
	t, ok := s.cfg.Township(param(c, "township"))
	if !ok {
		return fiber.ErrNotFound
	}
	town := t.Name
	asOf, err := queries.LatestAsOf(c.UserContext(), s.db)
	if err != nil {
		return s.renderStatus(c, fiber.StatusServiceUnavailable, "error", page{Title: "数据尚未计算", Error: err.Error()})
	}
	// the accountability figures' day: their data may stop before the last run (figuredays.go)
	if day, _, _ := s.figureDay(c.UserContext(), s.db, "mart_accountability"); !day.IsZero() && day.Before(asOf) {
		asOf = day
	}
	var buf bytes.Buffer
	if err := reports.Dossier(c.UserContext(), s.db, town, asOf, &buf); err != nil {
		return err
	}
	if err := s.tx(c.UserContext(), func(tx *sql.Tx, au *audit.Tx) error {
		return au.Add(c.UserContext(), u.Name, "dossier.viewed", town, map[string]any{"as_of": asOf.Format(time.DateOnly)})
	}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename*=UTF-8''%s`, url.PathEscape(fmt.Sprintf("dossier-%s-%s.pdf", town, asOf.Format("20060102")))))
	return c.Send(buf.Bytes())
}

func (s *Server) publishData(c *fiber.Ctx, u *accounts.User) (map[string]any, error) {
	snap, err := reports.LatestSnapshot(c.UserContext(), s.db)
	if err != nil {
		return nil, err
	}
	d := map[string]any{"CanPublish": u.Role == accounts.RoleMedia, "Published": snap != nil}
	if snap != nil {
		d["PublishedAt"] = snap.PublishedAt.In(s.cfg.Location()).Format("2006-01-02 15:04")
		d["PublishedBy"] = snap.PublishedBy
		d["AsOf"] = snap.Stats.AsOf
	}
	if run, err := queries.LatestAsOf(c.UserContext(), s.db); err == nil {
		d["RunAsOf"] = run.Format(time.DateOnly)
	}
	return d, nil
}

func (s *Server) publishPage(c *fiber.Ctx, u *accounts.User) error {
	d, err := s.publishData(c, u)
	if err != nil {
		return err
	}
	return s.render(c, "reports_publish", page{Title: "公开统计发布", Data: d})
}

func (s *Server) publishPreview(c *fiber.Ctx, u *accounts.User) error {
	return s.chartPage(c, reports.PageOptions{Back: "/staff/publish"}, func(b *bytes.Buffer, o reports.PageOptions) error {
		return reports.PreviewPage(c.UserContext(), s.db, b, o)
	})
}

// publishPost records the reviewed statistics as the snapshot the public page shows.
func (s *Server) publishPost(c *fiber.Ctx, u *accounts.User) error {
	p := page{Title: "公开统计发布"}
	snap, err := reports.Publish(c.UserContext(), s.db, u.Name)
	if err == nil {
		err = s.tx(c.UserContext(), func(tx *sql.Tx, au *audit.Tx) error {
			return au.Add(c.UserContext(), u.Name, "stats.published", fmt.Sprint(snap.ID), map[string]any{"as_of": snap.Stats.AsOf})
		})
	}
	if err != nil {
		p.Error = "发布失败：" + err.Error()
	} else {
		p.Notice = fmt.Sprintf("已发布截至%s的统计数据，公众页面 /stats 现显示此版本。", snap.Stats.AsOf)
	}
	if p.Data, err = s.publishData(c, u); err != nil {
		return err
	}
	code := fiber.StatusOK
	if p.Error != "" {
		code = fiber.StatusUnprocessableEntity
	}
	return s.renderStatus(c, code, "reports_publish", p)
}
