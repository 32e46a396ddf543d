package warehouse

import "landwatch/campaign"

// channelParameters are the parameters of the explosives-flow and video-event rules
// ([explosives], [video]; queries/staging/stg_config__channels.sql reads them).
func channelParameters(c *campaign.Config) []Param {
	e, v := c.Explosives, c.Video
	ns, ne := v.Night()
	rd, rc := v.Repeat()
	return []Param{
		num("explosives_near_m", e.Near()),
		num("explosives_check_days", float64(e.Days())),
		num("explosives_ceiling_explosive", e.CeilingOf("炸药")),
		num("explosives_ceiling_detonator", e.CeilingOf("雷管")),
		num("explosives_ceiling_cord", e.CeilingOf("导爆索")),
		num("video_night_start_hour", float64(ns)),
		num("video_night_end_hour", float64(ne)),
		num("video_closed_mine_m", v.ClosedMine()),
		num("video_repeat_days", float64(rd)),
		num("video_repeat_count", float64(rc)),
		num("video_check_days", float64(v.Days())),
	}
}
