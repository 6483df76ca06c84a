package dev.exifq.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    /** Literal only: brackets/IPv4 text never trigger a DNS lookup. */
    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # IPv4
            127.0.0.1             | loopback
            127.255.255.254       | loopback
            10.0.0.1              | private network
            10.255.255.255        | private network
            172.16.0.1            | private network
            172.31.255.255        | private network
            192.168.1.1           | private network
            169.254.169.254       | link-local
            169.254.0.1           | link-local
            100.64.0.1            | carrier-grade NAT
            100.127.255.255       | carrier-grade NAT
            0.0.0.0               | unspecified
            0.1.2.3               | unspecified
            224.0.0.1             | multicast
            239.255.255.250       | multicast
            255.255.255.255       | broadcast
            240.0.0.1             | reserved
            250.1.2.3             | reserved
            198.18.0.1            | benchmarking
            198.19.255.255        | benchmarking
            192.0.2.1             | documentation
            198.51.100.7          | documentation
            203.0.113.9           | documentation
            192.0.0.170           | reserved
            192.88.99.1           | reserved
            # IPv4 neighbours of blocked ranges stay public
            8.8.8.8               | ALLOWED
            1.1.1.1               | ALLOWED
            93.184.216.34         | ALLOWED
            172.15.255.255        | ALLOWED
            172.32.0.0            | ALLOWED
            100.63.255.255        | ALLOWED
            100.128.0.0           | ALLOWED
            169.253.255.255       | ALLOWED
            198.17.255.255        | ALLOWED
            198.20.0.0            | ALLOWED
            223.255.255.255       | ALLOWED
            11.0.0.1              | ALLOWED
            # IPv6
            ::1                   | loopback
            ::                    | unspecified
            fe80::1               | link-local
            febf::1               | link-local
            fec0::1               | site-local
            fc00::1               | unique local
            fd00::1               | unique local
            fdff:ffff::1          | unique local
            ff02::1               | multicast
            ff0e::1               | multicast
            2001:db8::1           | documentation
            3fff::1               | documentation
            2001:2::1             | benchmarking
            100::1                | discard-only
            2001::1               | Teredo
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo
            64:ff9b:1::a00:1      | local-use NAT64
            5f00::1               | reserved
            4000::1               | reserved
            # IPv4 embedded in IPv6
            ::ffff:127.0.0.1      | loopback
            ::ffff:10.0.0.1       | private network
            ::ffff:169.254.169.254 | link-local
            ::127.0.0.1           | IPv4-compatible IPv6 form of a loopback
            ::10.0.0.1            | IPv4-compatible IPv6 form of a private
            ::8.8.8.8             | reserved (IPv4-compatible)
            64:ff9b::7f00:1       | NAT64 IPv6 form of a loopback
            64:ff9b::a9fe:a9fe    | NAT64 IPv6 form of a link-local
            64:ff9b::192.168.0.1  | NAT64 IPv6 form of a private
            2002:7f00:1::1        | 6to4 IPv6 form of a loopback
            2002:a00:1::          | 6to4 IPv6 form of a private
            2002:a9fe:a9fe::1     | 6to4 IPv6 form of a link-local
            # public IPv6 and public embedded forms
            2606:4700:4700::1111  | ALLOWED
            2001:4860:4860::8888  | ALLOWED
            2a00:1450:4001::1     | ALLOWED
            64:ff9b::808:808      | ALLOWED
            2002:808:808::1       | ALLOWED
            ::ffff:8.8.8.8        | ALLOWED
            """)
    void strictPolicy(String address, String expected) throws Exception {
        String why = AddressPolicy.strict().whyBlocked(ip(address));
        if (expected.equals("ALLOWED")) {
            assertNull(why, address + " should be allowed");
            assertTrue(AddressPolicy.strict().allowed(ip(address)));
        } else {
            assertNotNull(why, address + " should be blocked");
            assertTrue(why.contains(expected), address + ": '" + why + "' should mention '" + expected + "'");
            assertFalse(AddressPolicy.strict().allowed(ip(address)));
        }
    }

    @Test
    void ipv4MappedKeptAsInet6IsStillJudgedByTheEmbeddedAddress() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        InetAddress a = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(a instanceof Inet6Address);
        String why = AddressPolicy.strict().whyBlocked(a);
        assertNotNull(why);
        assertTrue(why.contains("IPv4-mapped IPv6 form of a link-local"), why);
    }

    @ParameterizedTest(name = "{0} with allowlist {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1         | 127.0.0.0/8               | true
            127.0.0.2         | 127.0.0.0/8               | true
            10.0.0.1          | 127.0.0.0/8               | false
            169.254.169.254   | 127.0.0.0/8               | false
            127.0.0.1         | 127.0.0.1/32              | true
            127.0.0.2         | 127.0.0.1/32              | false
            127.0.0.2         | 127.0.0.1                 | false
            127.0.0.1         | 127.0.0.1                 | true
            ::1               | 127.0.0.0/8               | false
            ::1               | ::1/128                   | true
            ::ffff:127.0.0.1  | 127.0.0.0/8               | true
            64:ff9b::7f00:1   | 127.0.0.0/8               | true
            64:ff9b::a00:1    | 10.0.0.0/8                | true
            64:ff9b::a00:1    | 127.0.0.0/8               | false
            10.20.30.40       | 10.0.0.0/8, 192.168.0.0/16 | true
            192.168.5.5       | 10.0.0.0/8, 192.168.0.0/16 | true
            172.16.0.1        | 10.0.0.0/8, 192.168.0.0/16 | false
            fd12::1           | fd00::/8                  | true
            fe80::1           | fd00::/8                  | false
            10.1.2.3          | ::ffff:10.0.0.0/104       | true
            10.1.2.3          | 10.1.2.3/8                | true
            """)
    void allowlist(String address, String cidrs, boolean allowed) throws Exception {
        AddressPolicy policy = new AddressPolicy(List.of(cidrs.split(",")));
        assertEquals(allowed, policy.allowed(ip(address)), () -> address + " / " + cidrs + ": "
                + policy.whyBlocked(InetAddressUnchecked.of(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "abc", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "::1/129",
            "localhost/8", "example.com", "256.0.0.0/8", "010.0.0.0/8", "10.0.0.0/8/8", "g::1/64", "::1%lo/128",
            "1:2:3:4:5:6:7:8:9/64", "dead::beef::1/64", "::ffff:10.0.0.0/64"})
    void invalidCidrsAreRejected(String cidr) {
        assertThrows(IllegalArgumentException.class, () -> new AddressPolicy(List.of(cidr)));
        assertThrows(IllegalArgumentException.class,
                () -> FetchSettings.defaults().withAllowedCidrs(List.of(cidr)));
    }

    @Test
    void blankEntriesAreIgnoredAndCidrsNormalised() {
        AddressPolicy p = new AddressPolicy(List.of(" 127.0.0.0/8 ", "", "  ", "10.1.2.3/8", "::1"));
        assertEquals(List.of("127.0.0.0/8", "10.0.0.0/8", "0:0:0:0:0:0:0:1/128"), p.allowedCidrs());
    }

    /** Helper for assertion messages. */
    static final class InetAddressUnchecked {
        static InetAddress of(String s) {
            try {
                return ip(s);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
