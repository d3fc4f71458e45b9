/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vsw: flow-based, 802.1Q VLAN-aware virtual switch - generic netlink ABI.
 *
 * Switches and ports are created and removed with rtnetlink
 * (``ip link add sw0 type vsw``, ``ip link set DEV master sw0``); everything
 * else is configured through the "vsw" generic netlink family described here.
 *
 * Conventions:
 *  - Integers are in host byte order unless the attribute name ends in _BE
 *    or the value is an address (MAC, IPv4, IPv6), which is in network order.
 *  - A switch is named by %VSW_ATTR_IFINDEX or %VSW_ATTR_IFNAME (resolved in
 *    the netns of the requesting socket).
 *  - A port is named by %VSW_PORT_ATTR_IFINDEX or %VSW_PORT_ATTR_IFNAME inside
 *    a %VSW_ATTR_PORT nest.
 *  - Every command that changes state needs CAP_NET_ADMIN in the switch's
 *    network namespace.  A rejected request changes nothing; the reason is
 *    returned in the extended ack (and the offending attribute is pointed at).
 *  - Dumps may be split over several messages and are resumable; if the
 *    dumped table changed during the dump, the last message carries
 *    NLM_F_DUMP_INTR.
 */
#ifndef _UAPI_LINUX_VSW_H
#define _UAPI_LINUX_VSW_H

#include <linux/types.h>

#define VSW_GENL_NAME		"vsw"
#define VSW_GENL_VERSION	1
#define VSW_GENL_MCGRP_EVENTS	"events"

/* Limits */
#define VSW_VID_MAX		4094
#define VSW_VLAN_BITMAP_LEN	(4096 / 8)	/* bytes in a VLAN bitmap */
#define VSW_PRIORITY_MAX	65535
#define VSW_AGEING_MAX		1000000		/* seconds */
#define VSW_STORM_PPS_MAX	100000000	/* storm control, frames/s */

/**
 * enum vsw_cmd - generic netlink commands of the "vsw" family
 * @VSW_CMD_UNSPEC: unused
 * @VSW_CMD_SWITCH_GET: get one switch (by %VSW_ATTR_IFINDEX or
 *	%VSW_ATTR_IFNAME) or dump all switches of the netns. Reply: switch
 *	attributes, including %VSW_ATTR_STATS.
 * @VSW_CMD_SWITCH_SET: change %VSW_ATTR_AGEING, %VSW_ATTR_MAX_MACS,
 *	%VSW_ATTR_CACHE_SIZE of a switch.
 * @VSW_CMD_PORT_GET: get one port (%VSW_ATTR_PORT nest naming it) or dump
 *	the ports of one switch (%VSW_ATTR_IFINDEX/%VSW_ATTR_IFNAME given) or of
 *	all switches.
 * @VSW_CMD_PORT_SET: change the configuration of a port; attributes absent
 *	from the %VSW_ATTR_PORT nest are left unchanged. The resulting
 *	configuration is validated as a whole before anything is applied.
 * @VSW_CMD_FDB_GET: dump the FDB of a switch; optional filters in the
 *	%VSW_ATTR_FDB nest: %VSW_FDB_ATTR_PORT_IFINDEX, %VSW_FDB_ATTR_VID.
 * @VSW_CMD_FDB_NEW: add a static FDB entry (%VSW_FDB_ATTR_MAC,
 *	%VSW_FDB_ATTR_VID, %VSW_FDB_ATTR_PORT_IFINDEX), replacing a learned one.
 * @VSW_CMD_FDB_DEL: delete the entry (%VSW_FDB_ATTR_MAC, %VSW_FDB_ATTR_VID).
 * @VSW_CMD_FDB_FLUSH: flush learned and static entries of a switch,
 *	optionally only those of one port and/or one VLAN.
 * @VSW_CMD_RULE_GET: dump the rule table of a switch, highest priority first.
 * @VSW_CMD_RULE_NEW: add a rule (%VSW_ATTR_RULE nest); a rule with the same
 *	priority and match replaces the existing one (its counters restart).
 * @VSW_CMD_RULE_DEL: delete the rule with exactly this priority and match.
 * @VSW_CMD_RULE_FLUSH: delete all user rules (the implicit lowest-priority
 *	NORMAL rule stays).
 * @VSW_CMD_CACHE_GET: dump the flow cache of a switch.
 * @VSW_CMD_CACHE_FLUSH: empty the flow cache of a switch.
 * @VSW_CMD_VLAN_GET: dump per-VLAN state and counters of a switch.
 * @VSW_CMD_EVENT: notification sent to the %VSW_GENL_MCGRP_EVENTS group;
 *	%VSW_ATTR_EVENT says what happened (enum vsw_event).
 */
enum vsw_cmd {
	VSW_CMD_UNSPEC,
	VSW_CMD_SWITCH_GET,
	VSW_CMD_SWITCH_SET,
	VSW_CMD_PORT_GET,
	VSW_CMD_PORT_SET,
	VSW_CMD_FDB_GET,
	VSW_CMD_FDB_NEW,
	VSW_CMD_FDB_DEL,
	VSW_CMD_FDB_FLUSH,
	VSW_CMD_RULE_GET,
	VSW_CMD_RULE_NEW,
	VSW_CMD_RULE_DEL,
	VSW_CMD_RULE_FLUSH,
	VSW_CMD_CACHE_GET,
	VSW_CMD_CACHE_FLUSH,
	VSW_CMD_VLAN_GET,
	VSW_CMD_EVENT,

	/* private: */
	__VSW_CMD_MAX,
	VSW_CMD_MAX = __VSW_CMD_MAX - 1
};

/**
 * enum vsw_attr - top-level attributes
 * @VSW_ATTR_UNSPEC: unused
 * @VSW_ATTR_IFINDEX: u32, switch interface index
 * @VSW_ATTR_IFNAME: string, switch interface name
 * @VSW_ATTR_AGEING: u32, FDB ageing time in seconds (0 = no ageing),
 *	default 300, at most %VSW_AGEING_MAX
 * @VSW_ATTR_MAX_MACS: u32, switch-wide limit of learned FDB entries
 *	(0 = unlimited), default 8192
 * @VSW_ATTR_CACHE_SIZE: u32, maximum number of flow cache entries (>= 1)
 * @VSW_ATTR_FDB_COUNT: u32, current number of FDB entries (read only)
 * @VSW_ATTR_RULE_COUNT: u32, number of user rules (read only)
 * @VSW_ATTR_CACHE_COUNT: u32, number of flow cache entries (read only)
 * @VSW_ATTR_PORT_COUNT: u32, number of ports (read only)
 * @VSW_ATTR_PORT: nest, enum vsw_port_attr
 * @VSW_ATTR_FDB: nest, enum vsw_fdb_attr
 * @VSW_ATTR_RULE: nest, enum vsw_rule_attr
 * @VSW_ATTR_CACHE: nest, enum vsw_cache_attr
 * @VSW_ATTR_VLAN: nest, enum vsw_vlan_attr
 * @VSW_ATTR_STATS: nest, enum vsw_stats_attr (switch-wide totals)
 * @VSW_ATTR_EVENT: u32, enum vsw_event, in %VSW_CMD_EVENT messages
 * @VSW_ATTR_PAD: padding for 64-bit attributes
 * @VSW_ATTR_CACHE_HITS: u64, flow cache hits (read only)
 * @VSW_ATTR_CACHE_MISSES: u64, flow cache misses (read only)
 * @VSW_ATTR_CACHE_BYTES: u64, memory the flow cache entries take, in
 *	bytes; at most 512 times %VSW_ATTR_CACHE_SIZE (read only)
 * @VSW_ATTR_RULE_INDEX_GEN: u32, number of times the rule table was
 *	indexed since the switch was created (read only)
 * @VSW_ATTR_RULES_INDEXED: u8, 1 if the current rule table is indexed, 0
 *	if lookups scan it (read only)
 * @VSW_ATTR_DEFAULT_PORT: nest, enum vsw_port_attr, configuration
 *	attributes only: the configuration a port gets when it is added to
 *	the switch (the internal port excepted). %VSW_CMD_SWITCH_SET changes
 *	the attributes given, as %VSW_CMD_PORT_SET does for a port; ports
 *	already there keep theirs. Initially that of a new port: access
 *	VLAN 1; "mode trunk, no trunks" makes new ports forward nothing until
 *	they are configured.
 */
enum vsw_attr {
	VSW_ATTR_UNSPEC,
	VSW_ATTR_IFINDEX,
	VSW_ATTR_IFNAME,
	VSW_ATTR_AGEING,
	VSW_ATTR_MAX_MACS,
	VSW_ATTR_CACHE_SIZE,
	VSW_ATTR_FDB_COUNT,
	VSW_ATTR_RULE_COUNT,
	VSW_ATTR_CACHE_COUNT,
	VSW_ATTR_PORT_COUNT,
	VSW_ATTR_PORT,
	VSW_ATTR_FDB,
	VSW_ATTR_RULE,
	VSW_ATTR_CACHE,
	VSW_ATTR_VLAN,
	VSW_ATTR_STATS,
	VSW_ATTR_EVENT,
	VSW_ATTR_PAD,
	VSW_ATTR_CACHE_HITS,
	VSW_ATTR_CACHE_MISSES,
	VSW_ATTR_CACHE_BYTES,
	VSW_ATTR_RULE_INDEX_GEN,
	VSW_ATTR_RULES_INDEXED,
	VSW_ATTR_DEFAULT_PORT,

	/* private: */
	__VSW_ATTR_MAX,
	VSW_ATTR_MAX = __VSW_ATTR_MAX - 1
};

/**
 * enum vsw_vlan_mode - per-port VLAN mode (Open vSwitch meanings)
 * @VSW_VLAN_MODE_ACCESS: untagged or priority-tagged frames in are in VLAN
 *	"tag"; other tagged frames are dropped; out untagged. Default mode,
 *	with tag 1.
 * @VSW_VLAN_MODE_TRUNK: tagged frames with a VID in "trunks" are in that
 *	VLAN; untagged frames are dropped; out tagged.
 * @VSW_VLAN_MODE_NATIVE_UNTAGGED: trunk, untagged frames in are in the
 *	native VLAN "tag", which is sent out untagged.
 * @VSW_VLAN_MODE_NATIVE_TAGGED: trunk, untagged frames in are in the native
 *	VLAN "tag", which is sent out tagged.
 * @VSW_VLAN_MODE_DOT1Q_TUNNEL: QinQ customer port: every frame in gets an
 *	802.1ad (0x88a8) S-tag "tag" pushed (as outermost tag); frames out have
 *	the S-tag popped. If "cvlans" is not empty only frames whose customer
 *	VID (untagged = 0) is in it are admitted.
 * @__VSW_VLAN_MODE_MAX: number of modes
 */
enum vsw_vlan_mode {
	VSW_VLAN_MODE_ACCESS,
	VSW_VLAN_MODE_TRUNK,
	VSW_VLAN_MODE_NATIVE_UNTAGGED,
	VSW_VLAN_MODE_NATIVE_TAGGED,
	VSW_VLAN_MODE_DOT1Q_TUNNEL,

	__VSW_VLAN_MODE_MAX
};

/**
 * enum vsw_priority_tags - when a port sends priority-tagged frames
 * @VSW_PRIORITY_TAGS_NEVER: a frame that leaves without a VLAN tag leaves
 *	with no 802.1Q header at all (the default)
 * @VSW_PRIORITY_TAGS_IF_NONZERO: ... with an 802.1Q tag of VID 0 carrying
 *	the frame's PCP, when that PCP is not zero
 * @VSW_PRIORITY_TAGS_ALWAYS: ... with an 802.1Q tag of VID 0 carrying the
 *	frame's PCP, even zero
 *
 * The frame's PCP is that of the tag it was received with (0 if none).
 * Frames that keep a tag anyway (a customer tag out of a dot1q-tunnel port,
 * the inner tag of a double-tagged frame) are not changed.
 */
enum vsw_priority_tags {
	VSW_PRIORITY_TAGS_NEVER,
	VSW_PRIORITY_TAGS_IF_NONZERO,
	VSW_PRIORITY_TAGS_ALWAYS,

	/* private: */
	__VSW_PRIORITY_TAGS_MAX
};

/**
 * enum vsw_port_attr - attributes in a %VSW_ATTR_PORT nest
 * @VSW_PORT_ATTR_UNSPEC: unused
 * @VSW_PORT_ATTR_IFINDEX: u32, port interface index
 * @VSW_PORT_ATTR_IFNAME: string, port interface name
 * @VSW_PORT_ATTR_MODE: u8, enum vsw_vlan_mode
 * @VSW_PORT_ATTR_TAG: u16, access VLAN / native VLAN / S-VLAN (1..4094)
 * @VSW_PORT_ATTR_TRUNKS: binary, %VSW_VLAN_BITMAP_LEN bytes, bit n of byte
 *	n / 8 (LSB first) set = VID n allowed; VIDs 0 and 4095 must be clear.
 *	An all-zero bitmap means no VLAN is allowed.
 * @VSW_PORT_ATTR_CVLANS: binary, like %VSW_PORT_ATTR_TRUNKS: customer VLAN
 *	filter of a dot1q-tunnel port (all zero = all customer VLANs); bit 0
 *	stands for untagged customer frames.
 * @VSW_PORT_ATTR_LEARNING: u8, 0 or 1 (default 1)
 * @VSW_PORT_ATTR_FLOOD_UCAST: u8, flood unknown unicast out of this port
 *	(default 1)
 * @VSW_PORT_ATTR_FLOOD_BCAST: u8, flood broadcast out of this port (default 1)
 * @VSW_PORT_ATTR_FLOOD_MCAST: u8, flood multicast out of this port
 *	(default 1)
 * @VSW_PORT_ATTR_ISOLATED: u8, isolated ports never forward to each other
 *	(default 0)
 * @VSW_PORT_ATTR_MAX_MACS: u32, limit of MACs learned on this port
 *	(0 = unlimited)
 * @VSW_PORT_ATTR_MAC_COUNT: u32, MACs currently learned on the port
 *	(read only)
 * @VSW_PORT_ATTR_OPER_UP: u8, 1 if the port is up and running (read only)
 * @VSW_PORT_ATTR_STATS: nest, enum vsw_stats_attr (read only)
 * @VSW_PORT_ATTR_INTERNAL: flag, the port is the switch device itself
 *	(read only)
 * @VSW_PORT_ATTR_PAD: padding
 * @VSW_PORT_ATTR_BACKEND: nest, enum vsw_backend_attr: the port's peer is
 *	served by a backend (vsw_vhost: a guest's virtio rings), read only
 * @VSW_PORT_ATTR_PRIORITY_TAGS: u8, enum vsw_priority_tags: whether a frame
 *	that would leave the port with no VLAN tag at all leaves with a
 *	priority tag instead (Open vSwitch's other_config:priority-tags);
 *	default %VSW_PRIORITY_TAGS_NEVER
 * @VSW_PORT_ATTR_QINQ_ETHTYPE: u16, TPID of the S-tag that a dot1q-tunnel
 *	port puts on the frames it receives, seen where they leave a trunk:
 *	0x88a8 (802.1ad, the default) or 0x8100 (802.1Q); Open vSwitch's
 *	other_config:qinq-ethtype. Kept, but without effect, in other modes
 * @VSW_PORT_ATTR_SAMPLE_RATE: u32, 1 in N frames received on the port is
 *	sent to psample (the kernel's packet sampling family, "psample"
 *	generic netlink, multicast group "packets") with this rate, the
 *	port's ifindex as input interface and the frame's length as original
 *	size; 0 = off (the default). Needs a kernel with CONFIG_PSAMPLE
 *	(-EOPNOTSUPP otherwise)
 * @VSW_PORT_ATTR_SAMPLE_GROUP: u32, psample group number of the samples
 *	(default 0)
 * @VSW_PORT_ATTR_STORM_BCAST: u32, storm control: broadcast frames the
 *	switch floods that the port may receive per second (beyond it they
 *	are dropped, %VSW_DROP_STORM), 0 = no limit (the default); at most
 *	%VSW_STORM_PPS_MAX
 * @VSW_PORT_ATTR_STORM_MCAST: u32, the same for multicast (group bit set,
 *	not broadcast)
 * @VSW_PORT_ATTR_STORM_UNKNOWN: u32, the same for unknown unicast (a
 *	unicast frame flooded because the FDB does not know its destination)
 */
enum vsw_port_attr {
	VSW_PORT_ATTR_UNSPEC,
	VSW_PORT_ATTR_IFINDEX,
	VSW_PORT_ATTR_IFNAME,
	VSW_PORT_ATTR_MODE,
	VSW_PORT_ATTR_TAG,
	VSW_PORT_ATTR_TRUNKS,
	VSW_PORT_ATTR_CVLANS,
	VSW_PORT_ATTR_LEARNING,
	VSW_PORT_ATTR_FLOOD_UCAST,
	VSW_PORT_ATTR_FLOOD_BCAST,
	VSW_PORT_ATTR_FLOOD_MCAST,
	VSW_PORT_ATTR_ISOLATED,
	VSW_PORT_ATTR_MAX_MACS,
	VSW_PORT_ATTR_MAC_COUNT,
	VSW_PORT_ATTR_OPER_UP,
	VSW_PORT_ATTR_STATS,
	VSW_PORT_ATTR_INTERNAL,
	VSW_PORT_ATTR_PAD,
	VSW_PORT_ATTR_BACKEND,
	VSW_PORT_ATTR_PRIORITY_TAGS,
	VSW_PORT_ATTR_QINQ_ETHTYPE,
	VSW_PORT_ATTR_SAMPLE_RATE,
	VSW_PORT_ATTR_SAMPLE_GROUP,
	VSW_PORT_ATTR_STORM_BCAST,
	VSW_PORT_ATTR_STORM_MCAST,
	VSW_PORT_ATTR_STORM_UNKNOWN,

	/* private: */
	__VSW_PORT_ATTR_MAX,
	VSW_PORT_ATTR_MAX = __VSW_PORT_ATTR_MAX - 1
};

/**
 * enum vsw_backend_attr - attributes in a %VSW_PORT_ATTR_BACKEND nest, all
 *	read only. RX is towards the peer (the guest receives), TX from it.
 * @VSW_BACKEND_ATTR_UNSPEC: unused
 * @VSW_BACKEND_ATTR_KIND: string, "vhost"
 * @VSW_BACKEND_ATTR_RX_PACKETS: u64, frames written into the peer's RX ring
 * @VSW_BACKEND_ATTR_RX_BYTES: u64, their bytes (without virtio-net header)
 * @VSW_BACKEND_ATTR_RX_DROPPED: u64, frames for the peer dropped (its queue
 *	full: the guest does not refill its RX ring; or not deliverable)
 * @VSW_BACKEND_ATTR_TX_PACKETS: u64, frames from the peer into the switch
 * @VSW_BACKEND_ATTR_TX_BYTES: u64, their bytes
 * @VSW_BACKEND_ATTR_TX_DROPPED: u64, frames from the peer dropped (invalid
 *	virtio-net header, unreadable buffer, no port)
 * @VSW_BACKEND_ATTR_RING_ERRORS: u64, malformed rings seen (descriptor
 *	loops, addresses outside guest memory, bad indexes...): the queue
 *	stopped until it is set up again
 * @VSW_BACKEND_ATTR_KICKS: u64, notifications from the peer
 * @VSW_BACKEND_ATTR_SIGNALS: u64, notifications (interrupts) to the peer
 * @VSW_BACKEND_ATTR_PAD: padding
 */
enum vsw_backend_attr {
	VSW_BACKEND_ATTR_UNSPEC,
	VSW_BACKEND_ATTR_KIND,
	VSW_BACKEND_ATTR_RX_PACKETS,
	VSW_BACKEND_ATTR_RX_BYTES,
	VSW_BACKEND_ATTR_RX_DROPPED,
	VSW_BACKEND_ATTR_TX_PACKETS,
	VSW_BACKEND_ATTR_TX_BYTES,
	VSW_BACKEND_ATTR_TX_DROPPED,
	VSW_BACKEND_ATTR_RING_ERRORS,
	VSW_BACKEND_ATTR_KICKS,
	VSW_BACKEND_ATTR_SIGNALS,
	VSW_BACKEND_ATTR_PAD,

	/* private: */
	__VSW_BACKEND_ATTR_MAX,
	VSW_BACKEND_ATTR_MAX = __VSW_BACKEND_ATTR_MAX - 1
};

/**
 * enum vsw_drop_reason - why a frame was dropped (counted per port, on the
 *	port the frame was received on unless noted)
 * @VSW_DROP_UNSPEC: unused
 * @VSW_DROP_VLAN_INGRESS: VLAN not admitted on ingress (mode, trunks, cvlans)
 * @VSW_DROP_VLAN_EGRESS: VLAN not allowed out of a port (counted on the
 *	egress port) - a unicast frame whose destination port is not a member
 * @VSW_DROP_MAC_LIMIT: source MAC over the port or switch MAC limit
 * @VSW_DROP_RULE: a rule (or its cached decision) said drop
 * @VSW_DROP_NO_FLOOD: no port to forward to (flood suppressed, or the
 *	destination is the ingress port)
 * @VSW_DROP_ISOLATED: isolated port to isolated port
 * @VSW_DROP_MTU: frame larger than the egress port's MTU (counted on egress)
 * @VSW_DROP_MALFORMED: truncated or otherwise invalid frame
 * @VSW_DROP_NOMEM: allocation failure (clone, tag push)
 * @VSW_DROP_PORT_DOWN: egress port not running (counted on egress)
 * @VSW_DROP_INVALID_SRC: multicast/broadcast/zero source MAC
 * @VSW_DROP_STORM: storm control: a broadcast, multicast or unknown unicast
 *	frame over its class's rate on the ingress port
 *	(%VSW_PORT_ATTR_STORM_BCAST and the others)
 * @__VSW_DROP_MAX: number of drop reasons
 */
enum vsw_drop_reason {
	VSW_DROP_UNSPEC,
	VSW_DROP_VLAN_INGRESS,
	VSW_DROP_VLAN_EGRESS,
	VSW_DROP_MAC_LIMIT,
	VSW_DROP_RULE,
	VSW_DROP_NO_FLOOD,
	VSW_DROP_ISOLATED,
	VSW_DROP_MTU,
	VSW_DROP_MALFORMED,
	VSW_DROP_NOMEM,
	VSW_DROP_PORT_DOWN,
	VSW_DROP_INVALID_SRC,
	VSW_DROP_STORM,

	__VSW_DROP_MAX
};

/**
 * enum vsw_stats_attr - counters (all u64 unless noted)
 * @VSW_STATS_UNSPEC: unused
 * @VSW_STATS_RX_PACKETS: frames received by the switch from the port
 * @VSW_STATS_RX_BYTES: bytes received
 * @VSW_STATS_TX_PACKETS: frames sent out of the port by the switch
 * @VSW_STATS_TX_BYTES: bytes sent
 * @VSW_STATS_DROPS: u64, sum of all drop reasons
 * @VSW_STATS_DROP_REASONS: nest; attribute type = enum vsw_drop_reason,
 *	value u64 count; only non-zero reasons are present
 * @VSW_STATS_PAD: padding
 */
enum vsw_stats_attr {
	VSW_STATS_UNSPEC,
	VSW_STATS_RX_PACKETS,
	VSW_STATS_RX_BYTES,
	VSW_STATS_TX_PACKETS,
	VSW_STATS_TX_BYTES,
	VSW_STATS_DROPS,
	VSW_STATS_DROP_REASONS,
	VSW_STATS_PAD,

	/* private: */
	__VSW_STATS_MAX,
	VSW_STATS_MAX = __VSW_STATS_MAX - 1
};

/* FDB entry flags (%VSW_FDB_ATTR_FLAGS) */
#define VSW_FDB_F_STATIC	(1U << 0)	/* added by the admin, never ages */
#define VSW_FDB_F_LOCAL		(1U << 1)	/* the switch device's own MAC */

/**
 * enum vsw_fdb_attr - attributes in a %VSW_ATTR_FDB nest
 * @VSW_FDB_ATTR_UNSPEC: unused
 * @VSW_FDB_ATTR_MAC: binary, 6 bytes, unicast MAC address
 * @VSW_FDB_ATTR_VID: u16, VLAN (1..4094)
 * @VSW_FDB_ATTR_PORT_IFINDEX: u32, port the MAC is behind
 * @VSW_FDB_ATTR_PORT_IFNAME: string, port name (read only)
 * @VSW_FDB_ATTR_FLAGS: u32, VSW_FDB_F_*
 * @VSW_FDB_ATTR_AGE: u32, milliseconds since the MAC was last seen
 *	(read only)
 */
enum vsw_fdb_attr {
	VSW_FDB_ATTR_UNSPEC,
	VSW_FDB_ATTR_MAC,
	VSW_FDB_ATTR_VID,
	VSW_FDB_ATTR_PORT_IFINDEX,
	VSW_FDB_ATTR_PORT_IFNAME,
	VSW_FDB_ATTR_FLAGS,
	VSW_FDB_ATTR_AGE,

	/* private: */
	__VSW_FDB_ATTR_MAX,
	VSW_FDB_ATTR_MAX = __VSW_FDB_ATTR_MAX - 1
};

/**
 * enum vsw_key_attr - flow match fields, in a %VSW_RULE_ATTR_MATCH or
 *	%VSW_CACHE_ATTR_MATCH nest. A field that is absent is wildcarded. The
 *	*_MASK attributes are optional (absent = exact match) and need their
 *	field. IP and L4 fields need a matching %VSW_KEY_ATTR_ETH_TYPE (and
 *	%VSW_KEY_ATTR_IP_PROTO for L4 ports), as in OpenFlow.
 * @VSW_KEY_ATTR_UNSPEC: unused
 * @VSW_KEY_ATTR_IN_PORT: u32, ingress port ifindex
 * @VSW_KEY_ATTR_ETH_SRC: binary, 6 bytes
 * @VSW_KEY_ATTR_ETH_SRC_MASK: binary, 6 bytes
 * @VSW_KEY_ATTR_ETH_DST: binary, 6 bytes
 * @VSW_KEY_ATTR_ETH_DST_MASK: binary, 6 bytes
 * @VSW_KEY_ATTR_VLAN_VID: u16, VID of the outermost VLAN tag (802.1Q or
 *	802.1ad) of the frame as received on the port (1..4094), as in
 *	OpenFlow: rules run before the NORMAL action's ingress VLAN policy
 * @VSW_KEY_ATTR_VLAN_NONE: flag, match frames with no VLAN tag as received
 *	(untagged or priority-tagged, VID 0); exclusive with
 *	%VSW_KEY_ATTR_VLAN_VID
 * @VSW_KEY_ATTR_VLAN_PCP: u8, 0..7, PCP of the outermost tag (also of a
 *	priority tag)
 * @VSW_KEY_ATTR_ETH_TYPE: u16, ethertype after VLAN tags
 * @VSW_KEY_ATTR_IPV4_SRC: binary, 4 bytes
 * @VSW_KEY_ATTR_IPV4_SRC_MASK: binary, 4 bytes (contiguous prefix)
 * @VSW_KEY_ATTR_IPV4_DST: binary, 4 bytes
 * @VSW_KEY_ATTR_IPV4_DST_MASK: binary, 4 bytes (contiguous prefix)
 * @VSW_KEY_ATTR_IPV6_SRC: binary, 16 bytes
 * @VSW_KEY_ATTR_IPV6_SRC_MASK: binary, 16 bytes (contiguous prefix)
 * @VSW_KEY_ATTR_IPV6_DST: binary, 16 bytes
 * @VSW_KEY_ATTR_IPV6_DST_MASK: binary, 16 bytes (contiguous prefix)
 * @VSW_KEY_ATTR_IP_PROTO: u8, IPv4 protocol / IPv6 next header
 * @VSW_KEY_ATTR_IP_TOS: u8, IPv4 TOS / IPv6 traffic class byte
 * @VSW_KEY_ATTR_L4_SRC: u16, TCP/UDP/SCTP source port
 * @VSW_KEY_ATTR_L4_DST: u16, TCP/UDP/SCTP destination port
 * @VSW_KEY_ATTR_ARP_OP: u16, ARP opcode (needs ETH_TYPE 0x0806)
 * @VSW_KEY_ATTR_ETH_TYPE_MASK: u16, mask of %VSW_KEY_ATTR_ETH_TYPE
 *	(cache dumps only)
 * @VSW_KEY_ATTR_VLAN_VID_MASK: u16, mask of the VLAN field (cache dumps
 *	only)
 */
enum vsw_key_attr {
	VSW_KEY_ATTR_UNSPEC,
	VSW_KEY_ATTR_IN_PORT,
	VSW_KEY_ATTR_ETH_SRC,
	VSW_KEY_ATTR_ETH_SRC_MASK,
	VSW_KEY_ATTR_ETH_DST,
	VSW_KEY_ATTR_ETH_DST_MASK,
	VSW_KEY_ATTR_VLAN_VID,
	VSW_KEY_ATTR_VLAN_NONE,
	VSW_KEY_ATTR_VLAN_PCP,
	VSW_KEY_ATTR_ETH_TYPE,
	VSW_KEY_ATTR_IPV4_SRC,
	VSW_KEY_ATTR_IPV4_SRC_MASK,
	VSW_KEY_ATTR_IPV4_DST,
	VSW_KEY_ATTR_IPV4_DST_MASK,
	VSW_KEY_ATTR_IPV6_SRC,
	VSW_KEY_ATTR_IPV6_SRC_MASK,
	VSW_KEY_ATTR_IPV6_DST,
	VSW_KEY_ATTR_IPV6_DST_MASK,
	VSW_KEY_ATTR_IP_PROTO,
	VSW_KEY_ATTR_IP_TOS,
	VSW_KEY_ATTR_L4_SRC,
	VSW_KEY_ATTR_L4_DST,
	VSW_KEY_ATTR_ARP_OP,
	VSW_KEY_ATTR_ETH_TYPE_MASK,
	VSW_KEY_ATTR_VLAN_VID_MASK,

	/* private: */
	__VSW_KEY_ATTR_MAX,
	VSW_KEY_ATTR_MAX = __VSW_KEY_ATTR_MAX - 1
};

/**
 * enum vsw_action_attr - one action, in a %VSW_RULE_ATTR_ACTIONS or
 *	%VSW_CACHE_ATTR_ACTIONS nest; actions run in attribute order. A rule
 *	needs at least one action; NORMAL, DROP and FLOOD must be the last
 *	action; at most 32 actions.
 * @VSW_ACTION_ATTR_UNSPEC: unused
 * @VSW_ACTION_ATTR_NORMAL: flag, hand the frame to the learning VLAN switch
 * @VSW_ACTION_ATTR_DROP: flag, drop (counted as %VSW_DROP_RULE)
 * @VSW_ACTION_ATTR_FLOOD: flag, send out of every other port in the VLAN
 *	(obeys flood flags and isolation)
 * @VSW_ACTION_ATTR_OUTPUT: u32, send a copy out of this port ifindex, with
 *	the frame's current VLAN tags (no egress VLAN policy)
 * @VSW_ACTION_ATTR_SET_VLAN_VID: u16, set the VID of the outermost tag,
 *	pushing an 802.1Q tag if the frame has none (mod_vlan_vid)
 * @VSW_ACTION_ATTR_POP_VLAN: flag, remove the outermost tag (strip_vlan)
 * @VSW_ACTION_ATTR_PUSH_VLAN: u16, push a tag with this TPID (0x8100 or
 *	0x88a8), VID 0 unless followed by SET_VLAN_VID
 */
enum vsw_action_attr {
	VSW_ACTION_ATTR_UNSPEC,
	VSW_ACTION_ATTR_NORMAL,
	VSW_ACTION_ATTR_DROP,
	VSW_ACTION_ATTR_FLOOD,
	VSW_ACTION_ATTR_OUTPUT,
	VSW_ACTION_ATTR_SET_VLAN_VID,
	VSW_ACTION_ATTR_POP_VLAN,
	VSW_ACTION_ATTR_PUSH_VLAN,

	/* private: */
	__VSW_ACTION_ATTR_MAX,
	VSW_ACTION_ATTR_MAX = __VSW_ACTION_ATTR_MAX - 1
};

#define VSW_ACTIONS_MAX		32

/**
 * enum vsw_rule_attr - attributes in a %VSW_ATTR_RULE nest
 * @VSW_RULE_ATTR_UNSPEC: unused
 * @VSW_RULE_ATTR_PRIORITY: u16, higher runs first (default 32768)
 * @VSW_RULE_ATTR_MATCH: nest, enum vsw_key_attr
 * @VSW_RULE_ATTR_ACTIONS: nest, enum vsw_action_attr
 * @VSW_RULE_ATTR_PACKETS: u64, frames that matched (read only)
 * @VSW_RULE_ATTR_BYTES: u64, bytes that matched (read only)
 * @VSW_RULE_ATTR_USED: u64, milliseconds since last match, absent if never
 *	(read only)
 * @VSW_RULE_ATTR_PAD: padding
 */
enum vsw_rule_attr {
	VSW_RULE_ATTR_UNSPEC,
	VSW_RULE_ATTR_PRIORITY,
	VSW_RULE_ATTR_MATCH,
	VSW_RULE_ATTR_ACTIONS,
	VSW_RULE_ATTR_PACKETS,
	VSW_RULE_ATTR_BYTES,
	VSW_RULE_ATTR_USED,
	VSW_RULE_ATTR_PAD,

	/* private: */
	__VSW_RULE_ATTR_MAX,
	VSW_RULE_ATTR_MAX = __VSW_RULE_ATTR_MAX - 1
};

#define VSW_RULE_PRIORITY_DEFAULT	32768

/**
 * enum vsw_cache_attr - attributes in a %VSW_ATTR_CACHE nest (read only)
 * @VSW_CACHE_ATTR_UNSPEC: unused
 * @VSW_CACHE_ATTR_MATCH: nest, enum vsw_key_attr: the masked key
 *	(fields with an all-zero mask are omitted)
 * @VSW_CACHE_ATTR_ACTIONS: nest, enum vsw_action_attr: the cached decision,
 *	as a resolved action list (OUTPUT with VLAN pushes/pops, DROP)
 * @VSW_CACHE_ATTR_PACKETS: u64
 * @VSW_CACHE_ATTR_BYTES: u64
 * @VSW_CACHE_ATTR_USED: u64, milliseconds since last hit
 * @VSW_CACHE_ATTR_PAD: padding
 */
enum vsw_cache_attr {
	VSW_CACHE_ATTR_UNSPEC,
	VSW_CACHE_ATTR_MATCH,
	VSW_CACHE_ATTR_ACTIONS,
	VSW_CACHE_ATTR_PACKETS,
	VSW_CACHE_ATTR_BYTES,
	VSW_CACHE_ATTR_USED,
	VSW_CACHE_ATTR_PAD,

	/* private: */
	__VSW_CACHE_ATTR_MAX,
	VSW_CACHE_ATTR_MAX = __VSW_CACHE_ATTR_MAX - 1
};

/**
 * enum vsw_vlan_attr - attributes in a %VSW_ATTR_VLAN nest (read only)
 * @VSW_VLAN_ATTR_UNSPEC: unused
 * @VSW_VLAN_ATTR_VID: u16
 * @VSW_VLAN_ATTR_STATS: nest, enum vsw_stats_attr (RX = frames classified
 *	into the VLAN, TX = frames sent out in it)
 */
enum vsw_vlan_attr {
	VSW_VLAN_ATTR_UNSPEC,
	VSW_VLAN_ATTR_VID,
	VSW_VLAN_ATTR_STATS,

	/* private: */
	__VSW_VLAN_ATTR_MAX,
	VSW_VLAN_ATTR_MAX = __VSW_VLAN_ATTR_MAX - 1
};

/**
 * enum vsw_event - what a %VSW_CMD_EVENT notification reports. Every event
 *	carries %VSW_ATTR_IFINDEX and %VSW_ATTR_IFNAME of the switch.
 * @VSW_EVENT_UNSPEC: unused
 * @VSW_EVENT_MAC_LEARNED: a new FDB entry was learned (%VSW_ATTR_FDB)
 * @VSW_EVENT_MAC_MOVED: a learned MAC moved to another port (%VSW_ATTR_FDB,
 *	with the new port)
 * @VSW_EVENT_MAC_AGED: an FDB entry aged out (%VSW_ATTR_FDB)
 * @VSW_EVENT_FDB_FLUSHED: FDB entries were flushed (%VSW_ATTR_FDB with the
 *	port/VLAN filter used, if any)
 * @VSW_EVENT_PORT_ADDED: a port joined the switch (%VSW_ATTR_PORT)
 * @VSW_EVENT_PORT_REMOVED: a port left the switch (%VSW_ATTR_PORT)
 * @VSW_EVENT_PORT_UP: a port became operationally up (%VSW_ATTR_PORT)
 * @VSW_EVENT_PORT_DOWN: a port became operationally down (%VSW_ATTR_PORT)
 * @VSW_EVENT_RULE_CHANGED: a rule was added, replaced or deleted, or the
 *	rule table was flushed (%VSW_ATTR_RULE with priority and match when a
 *	single rule changed)
 * @VSW_EVENT_FDB_ADDED: a static entry was added (%VSW_ATTR_FDB)
 * @VSW_EVENT_FDB_DELETED: an entry was deleted by the admin (%VSW_ATTR_FDB)
 * @VSW_EVENT_PORT_CHANGED: a port's configuration changed (%VSW_ATTR_PORT)
 * @VSW_EVENT_SWITCH_CHANGED: a switch's configuration changed
 */
enum vsw_event {
	VSW_EVENT_UNSPEC,
	VSW_EVENT_MAC_LEARNED,
	VSW_EVENT_MAC_MOVED,
	VSW_EVENT_MAC_AGED,
	VSW_EVENT_FDB_FLUSHED,
	VSW_EVENT_PORT_ADDED,
	VSW_EVENT_PORT_REMOVED,
	VSW_EVENT_PORT_UP,
	VSW_EVENT_PORT_DOWN,
	VSW_EVENT_RULE_CHANGED,
	VSW_EVENT_FDB_ADDED,
	VSW_EVENT_FDB_DELETED,
	VSW_EVENT_PORT_CHANGED,
	VSW_EVENT_SWITCH_CHANGED,

	/* private: */
	__VSW_EVENT_MAX
};

#endif /* _UAPI_LINUX_VSW_H */
