package portal

// Tips the office enters on a tipster's behalf (a call or a letter), and evidence staff add to a
// tip (a township's photos of its field check). The tipster of a phone or letter tip gets the
// receipt code on paper: the page after entering is a printable receipt.

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"landwatch/internal/sanitize"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
)

func (s *Server) tipEntryData(in tipstore.TipInput, channel, lon, lat string) map[string]any {
	return map[string]any{"In": in, "Channel": channel, "Lon": lon, "Lat": lat, "Categories": s.cfg.Categories,
		"Townships": s.cfg.Townships, "Channels": []string{tipstore.ChannelPhone, tipstore.ChannelLetter},
		"MaxFiles": s.cfg.Portal.MaxFiles, "MaxFileMB": s.cfg.Portal.MaxFileMB}
}

func (s *Server) tipEntryForm(c *fiber.Ctx, u *accounts.User) error {
	return s.render(c, "tip_entry", page{Title: "登记电话、信件举报", Data: s.tipEntryData(tipstore.TipInput{}, tipstore.ChannelPhone, "", "")})
}

func (s *Server) tipEntryPost(c *fiber.Ctx, u *accounts.User) error {
	channel := c.FormValue("channel")
	in, lon, lat, files, err := s.readTip(c)
	var ups []sanitize.File
	if err == nil {
		ups, err = s.tips.CheckEvidence(files)
	}
	var r tipstore.Receipt
	if err == nil {
		r, err = s.tips.Enter(c.UserContext(), u, channel, in, ups)
	}
	if err != nil {
		p := page{Title: "登记电话、信件举报", Error: err.Error(), Data: s.tipEntryData(in, channel, lon, lat)}
		var ie *tipstore.InputError
		if errors.As(err, &ie) {
			p.Errors = ie.Fields
		}
		return s.renderStatus(c, fiber.StatusBadRequest, "tip_entry", p)
	}
	return s.renderStatus(c, fiber.StatusCreated, "tip_paper", page{Title: "举报回执（交举报人）", Data: map[string]any{
		"Code": tipstore.GroupCode(r.Code), "TipID": r.TipID, "Channel": channel, "Day": s.tips.Today().Format("2006-01-02"),
		"County": s.cfg.County.Name, "Officials": in.Officials, "Address": s.publicAddress(c)}})
}

// tipEvidence adds staff files to a tip the user may see (metadata stripped as for citizens' files).
func (s *Server) tipEvidence(c *fiber.Ctx, u *accounts.User) error {
	d, err := s.tips.TipDetail(c.UserContext(), u, param(c, "id"))
	if err != nil {
		return err
	}
	if d == nil {
		return fiber.ErrNotFound
	}
	files, err := s.kit.FormFiles(c)
	if err == nil {
		var ups []sanitize.File
		if ups, err = s.tips.CheckEvidence(files); err == nil {
			err = s.tips.AddEvidence(c.UserContext(), d.ID, u.Name, ups)
		}
	}
	if err != nil {
		return s.showTip(c, u, "", err)
	}
	return s.showTip(c, u, fmt.Sprintf("已上传 %d 个文件。", len(files)), nil)
}
