//! IP addresses: public IPv4 and IPv6 (private, loopback, link-local,
//! documentation and other reserved ranges are left alone).

pub(super) fn ipv4_parse(value: &[u8]) -> Option<std::net::Ipv4Addr> {
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// A public IPv4 address: not private, loopback, link-local, CGNAT,
/// multicast, reserved, broadcast or unspecified.
pub(crate) fn ipv4_public(value: &[u8]) -> bool {
    let Some(ip) = ipv4_parse(value) else {
        return false;
    };
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || o[0] == 0
        || o[0] >= 240
        || (o[0] == 100 && (64..128).contains(&o[1])))
}

/// A global IPv6 address: not loopback, unspecified, link-local,
/// unique-local, multicast; an IPv4-mapped address follows the IPv4 rules.
pub(crate) fn ipv6_public(value: &[u8]) -> bool {
    let Some(ip) = std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse::<std::net::Ipv6Addr>().ok())
    else {
        return false;
    };
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_public(v4.to_string().as_bytes());
    }
    let s = ip.segments();
    let embedded_v4 = || {
        let o = ip.octets();
        ipv4_public(
            std::net::Ipv4Addr::new(o[12], o[13], o[14], o[15])
                .to_string()
                .as_bytes(),
        )
    };
    // NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form
    // (::a.b.c.d) carry an IPv4 address: it decides.
    if (s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4])
        || (s[..6] == [0; 6] && (s[6] != 0 || s[7] > 1))
    {
        return embedded_v4();
    }
    // A link-local address whose interface id is EUI-64 (`ff:fe` in its
    // middle) carries the device's MAC address: personal data like the MAC.
    if (s[0] & 0xffc0) == 0xfe80 {
        return (s[5] & 0x00ff) == 0x00ff && (s[6] & 0xff00) == 0xfe00;
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || s[0] == 0)
}
