package gate

import (
	"fmt"
	"net/netip"
	"strings"
)

// TrustedProxies checks the configured proxy addresses: each an IP address or a CIDR range.
func TrustedProxies(header string, list []string) ([]string, error) {
	if header == "" {
		if len(list) > 0 {
			return nil, fmt.Errorf("指定了可信代理地址，但未指定携带客户端地址的请求头（--proxy-header）")
		}
		return nil, nil
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("请求头 %s 只能由可信代理设置：请用 --trusted-proxies 列出反向代理连接本服务时使用的地址", header)
	}
	out := make([]string, 0, len(list))
	for _, p := range list {
		p = strings.TrimSpace(p)
		if _, err := netip.ParsePrefix(p); err == nil && strings.Contains(p, "/") {
			out = append(out, p)
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			return nil, fmt.Errorf("可信代理地址 %q 不是IP地址或地址段（如 127.0.0.2 或 10.0.0.0/24）", p)
		}
		out = append(out, p)
	}
	return out, nil
}
