#include "ctl/dead_letter.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

#include <cstdio>

#include "broker_topology.hpp"

namespace micro_order::host::ctl {
namespace {

const std::string* header(const AmqpDelivery& delivery, std::string_view name) {
    const auto it = delivery.properties.headers.find(std::string(name));
    return it == delivery.properties.headers.end() ? nullptr : &it->second;
}

std::string headerOr(const AmqpDelivery& delivery, std::string_view name, const std::string& fallback = "") {
    const std::string* value = header(delivery, name);
    return value ? *value : fallback;
}

}  // namespace

DeadLetter readDeadLetter(const AmqpDelivery& delivery) {
    DeadLetter letter;
    letter.messageId = delivery.properties.messageId;
    letter.reason = headerOr(delivery, kDeathReasonHeader);
    letter.sourceQueue = headerOr(delivery, kSourceQueueHeader);
    letter.sourceExchange = headerOr(delivery, kSourceExchangeHeader);
    letter.sourceRoutingKey = headerOr(delivery, kSourceRoutingKeyHeader);
    letter.replayable = header(delivery, kSourceExchangeHeader) && !letter.sourceRoutingKey.empty();
    if (const std::string* at = header(delivery, kDeadLetteredAtHeader)) {
        Poco::DateTime parsed;
        int zone = 0;
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, *at, parsed, zone)) {
            parsed.makeUTC(zone);
            letter.deadLetteredAt = parsed.timestamp();
        }
    }
    return letter;
}

bool DeadLetterFilter::matches(const DeadLetter& letter) const {
    if (!sourceQueue.empty() && letter.sourceQueue != sourceQueue) {
        return false;
    }
    if (!reasonPart.empty() && letter.reason.find(reasonPart) == std::string::npos) {
        return false;
    }
    if (!messageId.empty() && letter.messageId != messageId) {
        return false;
    }
    return selectsSomething();
}

std::string formatAge(const std::optional<Poco::Timestamp>& deadLetteredAt, const Poco::Timestamp& now) {
    if (!deadLetteredAt) {
        return "?";
    }
    const long long seconds = std::max<long long>(0, (now - *deadLetteredAt) / 1000000);
    char text[32];
    if (seconds < 60) {
        std::snprintf(text, sizeof text, "%llds", seconds);
    } else if (seconds < 3600) {
        std::snprintf(text, sizeof text, "%lldm%02llds", seconds / 60, seconds % 60);
    } else if (seconds < 86400) {
        std::snprintf(text, sizeof text, "%lldh%02lldm", seconds / 3600, seconds % 3600 / 60);
    } else {
        std::snprintf(text, sizeof text, "%lldd%02lldh", seconds / 86400, seconds % 86400 / 3600);
    }
    return text;
}

AmqpMessageProperties replayProperties(const AmqpDelivery& delivery, const std::string& newMessageId) {
    AmqpMessageProperties properties = delivery.properties;
    for (const std::string_view name : {kDeathReasonHeader, kSourceQueueHeader, kSourceExchangeHeader,
                                        kSourceRoutingKeyHeader, kDeadLetteredAtHeader}) {
        properties.headers.erase(std::string(name));
    }
    if (!delivery.properties.messageId.empty()) {
        properties.headers[std::string(kReplayedFromHeader)] = delivery.properties.messageId;
    }
    properties.messageId = newMessageId;
    return properties;
}

}  // namespace micro_order::host::ctl
