package portal

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The client address behind a reverse proxy. The proxy header (Options.ProxyHeader, e.g. X-Real-IP)
// is honoured only on connections whose peer is one of Options.TrustedProxies (addresses or CIDR
// ranges), checked by Fiber's own trusted-proxy check; any other peer — another local process
// included — is its own client address whatever header it sends. The header must hold exactly one
// IP address: anything else (a list, a name, junk) is refused, logged, and the peer address is used.

type clientIPKey struct{}

// resolveClientIP decides a request's client address once, before anything counts it.
func (s *Server) resolveClientIP(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP().String() // a fresh string: kept as a map key beyond the request
	if s.proxyHeader == "" || !c.IsProxyTrusted() {
		return peer
	}
	v := c.Get(s.proxyHeader)
	if v == "" {
		return peer
	}
	a, err := netip.ParseAddr(strings.TrimSpace(v))
	if err != nil || a.Zone() != "" {
		shown := v
		if len(shown) > 64 {
			shown = shown[:64] + "…"
		}
		s.logFor(c).Warn("代理请求头的值不是IP地址，已改用对端地址", "请求头", s.proxyHeader, "值", fmt.Sprintf("%q", shown), "对端", peer)
		return peer
	}
	return a.Unmap().String()
}

// clientIP is the request's client address as resolveClientIP decided it (the proxy header's value
// from a trusted proxy, else the TCP peer), in memory only.
func clientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(clientIPKey{}).(string); ok {
		return ip
	}
	return c.Context().RemoteIP().String()
}
