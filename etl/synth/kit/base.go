// Package kit holds what every part of the synthetic county generator (etl/synth) shares: calendar
// days without time zones, points and great-circle distances, the seeded random source, and the
// writers of csv, GB18030 csv and xlsx files with fixed metadata, so equal seeds give equal bytes.
package kit

import (
	"math"
	"math/rand/v2"
	"time"
)

// Date is a calendar day counted from 1970-01-01. All generator arithmetic uses it, so no time
// zone and no clock can leak into the output.
type Date int32

func MkDate(t time.Time) Date { return Date(t.Unix() / 86400) }

func YMD(y, m, d int) Date { return MkDate(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) }

func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is YYYY-MM-DD; the zero date (1970-01-01) is used as "none" and prints empty.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.Time().Format("2006-01-02")
}

func (d Date) Compact() string { return d.Time().Format("20060102") }

// Monday is the Monday of the ISO week holding d.
func (d Date) Monday() Date {
	wd := int(d.Time().Weekday()) // Sunday = 0
	return d - Date((wd+6)%7)
}

// Sunday is the Sunday closing the ISO week holding d.
func (d Date) Sunday() Date { return d.Monday() + 6 }

// Span names the days from d to to in a file name as a county office writes it, without spaces and
// sorting in date order in a folder listing: 20230501至0507, 20231225至20240107 across a year's end,
// 20230501 for a single day.
func (d Date) Span(to Date) string {
	switch {
	case to <= d:
		return d.Compact()
	case to.Time().Year() != d.Time().Year():
		return d.Compact() + "至" + to.Compact()
	}
	return d.Compact() + "至" + to.Time().Format("0102")
}

// RNG is the generator's one source of randomness: a seeded PCG, consumed in a fixed order.
type RNG struct{ *rand.Rand }

func NewRNG(seed int64, stream uint64) RNG {
	return RNG{rand.New(rand.NewPCG(uint64(seed), stream))}
}

func (r RNG) Pick(list []string) string { return list[r.IntN(len(list))] }

// Mix is splitmix64's finalizer: a fast, stateless hash used for the hourly readings so that any
// reading can be recomputed from (seed, meter, hour) alone.
func Mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const EarthRadiusM = 6371008.8

// Haversine is the great-circle distance in metres.
func Haversine(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * EarthRadiusM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Offset moves a point by dx metres east and dy metres north.
func Offset(lon, lat, dx, dy float64) (float64, float64) {
	rad := math.Pi / 180
	return lon + dx/(EarthRadiusM*math.Cos(lat*rad)*rad), lat + dy/(EarthRadiusM*rad)
}

// Round6 rounds a coordinate to 6 decimals (≈ 0.1 m), the precision the files carry.
func Round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

type Point struct{ Lon, Lat float64 }
