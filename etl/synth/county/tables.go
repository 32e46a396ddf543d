package county

import (
	"fmt"

	"landwatch/etl/synth/kit"
)

// ImageryPath is the manifest path of the export of batch made on s (batch 2 as csv).
func (w *World) ImageryPath(batch int, s kit.Date) string {
	ext := ".geojson"
	if batch == 2 {
		ext = ".csv"
	}
	return fmt.Sprintf("imagery/卫片图斑-%d第%d批-%s%s", w.Cfg.Campaign.Year, batch, s.Compact(), ext)
}

// CaseClosed is when a case settled without transfer (已结案) shows so in the register.
func CaseClosed(c *CaseRec) kit.Date {
	if c.Status == "已结案" {
		return c.Filed + 14
	}
	return 0
}
