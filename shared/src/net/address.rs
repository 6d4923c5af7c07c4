//! The address rule: webhooks may not target loopback, private, link-local,
//! CGNAT, multicast, unspecified or other special-purpose addresses (IETF
//! protocol assignments, benchmarking, local-use NAT64, Teredo, IPv4-mapped),
//! except in allowed subnets.

use crate::domain::webhook_url::WebhookUrl;
use async_trait::async_trait;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use url::Host;

/// Name resolution as a port, so tests can make a name resolve anywhere.
#[async_trait]
pub trait Resolver: Send + Sync {
    async fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<IpAddr>>;
}

/// The system resolver.
pub struct SystemResolver;

#[async_trait]
impl Resolver for SystemResolver {
    async fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<IpAddr>> {
        Ok(tokio::net::lookup_host((host, port))
            .await?
            .map(|addr| addr.ip())
            .collect())
    }
}

/// Which target addresses are refused, and which subnets are exempt.
#[derive(Clone, Debug, Default)]
pub struct AddressPolicy {
    allowed: Vec<IpNet>,
}

/// How long creation waits for a name to resolve before accepting it unchecked
/// (the rule is applied again at every send).
const CREATION_LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

impl AddressPolicy {
    pub fn new(allowed: Vec<IpNet>) -> Self {
        Self { allowed }
    }

    /// Parses `HOOKRELAY_ALLOWED_SUBNETS`: comma-separated CIDRs or addresses.
    pub fn parse_subnets(text: &str) -> Result<Vec<IpNet>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{s}` is not a CIDR subnet such as 10.0.0.0/8"))
            })
            .collect()
    }

    pub fn is_refused(&self, ip: IpAddr) -> bool {
        let allowed = |ip: IpAddr| self.allowed.iter().any(|net| net.contains(&ip));
        match embedded_v4(ip).map(IpAddr::V4) {
            // An IPv6 form that carries an IPv4 address is judged as that
            // address, and refused as well when its IPv6 range is itself
            // special (the IPv4-mapped block ::ffff:0:0/96 as a whole).
            Some(v4) => (is_special(v4) || is_special(ip)) && !allowed(v4) && !allowed(ip),
            None => is_special(ip) && !allowed(ip),
        }
    }

    /// The check at creation: IP literals and `localhost` at once; other names
    /// through `resolver`, and a name that does not resolve (yet) is accepted.
    pub async fn check_at_creation(
        &self,
        url: &WebhookUrl,
        resolver: &dyn Resolver,
    ) -> Result<(), String> {
        let url = url.as_url();
        let addresses = match url.host() {
            Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(Host::Domain(name)) if is_localhost(name) => {
                vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into()]
            }
            Some(Host::Domain(name)) => {
                let port = url.port_or_known_default().unwrap_or(443);
                match tokio::time::timeout(CREATION_LOOKUP_TIMEOUT, resolver.resolve(name, port))
                    .await
                {
                    Ok(Ok(found)) => found,
                    _ => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        match addresses.into_iter().find(|ip| self.is_refused(*ip)) {
            Some(ip) => Err(format!(
                "targets {ip}, a loopback, private, link-local or otherwise internal address, which this deployment does not allow"
            )),
            None => Ok(()),
        }
    }
}

fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// The IPv4 address inside IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96)
/// and 6to4 (2002::/16) IPv6 addresses.
fn embedded_v4(ip: IpAddr) -> Option<Ipv4Addr> {
    let IpAddr::V6(v6) = ip else { return None };
    let tail = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    match v6.segments() {
        [0, 0, 0, 0, 0, 0, hi, lo] if hi != 0 => Some(tail(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(tail(hi, lo)),
        [0x2002, hi, lo, ..] => Some(tail(hi, lo)),
        _ => None,
    }
}

/// Addresses no webhook should reach unless the deployment allows it.
fn is_special(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_special_v4(v4),
        IpAddr::V6(v6) => {
            let [first, second, third, ..] = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || v6.to_ipv4_mapped().is_some() // IPv4-mapped ::ffff:0:0/96
                || (first, second, third) == (0x64, 0xff9b, 1) // local-use NAT64 64:ff9b:1::/48
                || (first, second) == (0x2001, 0) // Teredo 2001::/32
        }
    }
}

fn is_special_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || a == 0 // "this network" 0.0.0.0/8
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64.0.0/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments 192.0.0.0/24
        || (a == 198 && (b & 0xfe) == 18) // benchmarking 198.18.0.0/15
        || a >= 240 // reserved 240.0.0.0/4
}

#[cfg(test)]
mod tests {
    use super::*;

    struct FixedResolver(Vec<IpAddr>);

    #[async_trait]
    impl Resolver for FixedResolver {
        async fn resolve(&self, _: &str, _: u16) -> std::io::Result<Vec<IpAddr>> {
            if self.0.is_empty() {
                Err(std::io::Error::other("no such host"))
            } else {
                Ok(self.0.clone())
            }
        }
    }

    fn url(text: &str) -> WebhookUrl {
        WebhookUrl::parse(text).unwrap()
    }

    #[test]
    fn refuses_internal_ranges_and_allows_public_ones() {
        let policy = AddressPolicy::default();
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "255.255.255.255",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2002:a00:1::",
            // IETF protocol assignments 192.0.0.0/24, benchmarking 198.18.0.0/15
            "192.0.0.1",
            "192.0.0.255",
            "198.18.0.1",
            "198.19.255.255",
            // local-use NAT64 64:ff9b:1::/48, Teredo 2001::/32
            "64:ff9b:1::1",
            "64:ff9b:1:ffff::808:808",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            // the IPv4-mapped block as a whole, public IPv4 inside or not
            "::ffff:8.8.8.8",
            "::ffff:93.184.216.34",
            "::ffff:0:0",
        ] {
            assert!(policy.is_refused(refused.parse().unwrap()), "{refused}");
        }
        for allowed in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "100.128.0.1",
            // just outside the blocked ranges
            "192.0.1.1",
            "191.255.255.255",
            "198.17.255.255",
            "198.20.0.1",
            "64:ff9b::808:808",
            "64:ff9b:2::1",
            "2001:1::1",
            "2001:4860:4860::8888",
            "::fffe:808:808",
        ] {
            assert!(!policy.is_refused(allowed.parse().unwrap()), "{allowed}");
        }
    }

    #[test]
    fn allowed_subnets_are_exempt() {
        let policy = AddressPolicy::new(AddressPolicy::parse_subnets("10.0.0.0/8, ::1").unwrap());
        assert!(!policy.is_refused("10.9.9.9".parse().unwrap()));
        assert!(!policy.is_refused("::1".parse().unwrap()));
        assert!(policy.is_refused("127.0.0.1".parse().unwrap()));
        assert!(!policy.is_refused("::ffff:10.1.2.3".parse().unwrap()));
        // The IPv4-mapped block is exempt where its IPv4 address is allowed.
        assert!(policy.is_refused("::ffff:8.8.8.8".parse().unwrap()));
        let public = AddressPolicy::new(AddressPolicy::parse_subnets("8.8.8.0/24").unwrap());
        assert!(!public.is_refused("::ffff:8.8.8.8".parse().unwrap()));
        assert!(public.is_refused("::ffff:8.8.4.4".parse().unwrap()));
        assert!(AddressPolicy::parse_subnets("10.0.0.0/33").is_err());
        assert!(AddressPolicy::parse_subnets("").unwrap().is_empty());
    }

    #[tokio::test]
    async fn creation_checks_literals_localhost_and_resolved_names() {
        let policy = AddressPolicy::default();
        let public = FixedResolver(vec!["93.184.216.34".parse().unwrap()]);
        let private = FixedResolver(vec!["10.0.0.7".parse().unwrap()]);
        let unknown = FixedResolver(vec![]);
        // (url, what its name resolves to, whether creation accepts it)
        let cases: [(&str, &FixedResolver, bool); 7] = [
            ("https://127.0.0.1/", &public, false),
            ("https://[::1]:8443/", &public, false),
            ("https://localhost/", &public, false),
            ("https://api.localhost/", &public, false),
            ("https://hooks.example.com/", &private, false),
            ("https://hooks.example.com/", &public, true),
            // Not resolvable yet: checked again at each send.
            ("https://not-yet.example.com/", &unknown, true),
        ];
        for (text, resolver, accepted) in cases {
            let checked = policy.check_at_creation(&url(text), resolver).await;
            assert_eq!(checked.is_ok(), accepted, "{text}");
        }
    }
}
