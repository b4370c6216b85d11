#include "ctl/ctl_command.hpp"

#include <Poco/Timestamp.h>

#include <ostream>

#include "amqp_connection.hpp"
#include "broker_topology.hpp"
#include "ctl/dead_letter_queue.hpp"
#include "delivery_policy.hpp"
#include "host_config.hpp"

namespace micro_order::host::ctl {

std::string ctlUsage() {
    return "usage: micro-order-ctl [--config FILE] dead-letters list [SELECTION]\n"
           "       micro-order-ctl [--config FILE] dead-letters replay SELECTION\n"
           "       micro-order-ctl [--config FILE] dead-letters purge SELECTION\n"
           "       micro-order-ctl --help | --version\n"
           "\n"
           "Works on the dead-letter queue (" +
           std::string(kDeadLetterQueue) +
           ") of the broker FILE names (default /etc/micro-order/micro-order.yaml;\n"
           "MICRO_ORDER_AMQP_URL overrides it, as for micro-order-host).\n"
           "  list     shows each letter: message id, source queue, age, reason; leaves the queue as it was\n"
           "  replay   publishes the letters to their original exchange and routing key with a new message id\n"
           "           (the old one in the x-replayed-from header), then removes them\n"
           "  purge    removes the letters\n"
           "SELECTION (every criterion given must match; list without one shows every letter):\n"
           "  --all               every letter\n"
           "  --queue QUEUE       letters that came from QUEUE\n"
           "  --reason TEXT       letters whose reason contains TEXT\n"
           "  --message-id ID     the letter with message id ID\n";
}

CtlCommand parseCtlCommand(const std::vector<std::string>& args) {
    CtlCommand command;
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size() || args[i + 1].empty()) {
                throw UsageError(arg + " needs a value");
            }
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            command.action = CtlCommand::Action::kHelp;
            return command;
        }
        if (arg == "--version") {
            command.action = CtlCommand::Action::kVersion;
            return command;
        }
        if (arg == "--config" || arg == "-c") {
            command.configFile = value();
        } else if (arg == "--all") {
            command.filter.all = true;
        } else if (arg == "--queue") {
            command.filter.sourceQueue = value();
        } else if (arg == "--reason") {
            command.filter.reasonPart = value();
        } else if (arg == "--message-id") {
            command.filter.messageId = value();
        } else if (arg.starts_with("-")) {
            throw UsageError("unknown option " + arg);
        } else {
            words.push_back(arg);
        }
    }
    if (words.empty()) {
        throw UsageError("no command given");
    }
    if (words[0] != "dead-letters") {
        throw UsageError("unknown command '" + words[0] + "'");
    }
    if (words.size() != 2) {
        throw UsageError("dead-letters needs one of list, replay, purge");
    }
    if (words[1] == "list") {
        command.action = CtlCommand::Action::kList;
    } else if (words[1] == "replay") {
        command.action = CtlCommand::Action::kReplay;
    } else if (words[1] == "purge") {
        command.action = CtlCommand::Action::kPurge;
    } else {
        throw UsageError("unknown dead-letters command '" + words[1] + "'");
    }
    const bool criteria =
        !command.filter.sourceQueue.empty() || !command.filter.reasonPart.empty() || !command.filter.messageId.empty();
    if (command.filter.all && criteria) {
        throw UsageError("--all selects every letter: give it alone, or criteria without it");
    }
    if (command.action != CtlCommand::Action::kList && !command.filter.selectsSomething()) {
        throw UsageError("dead-letters " + words[1] + " needs --all, --queue, --reason or --message-id");
    }
    return command;
}

namespace {

std::string padded(std::string text, std::size_t width, bool right = false) {
    if (text.size() < width) {
        text.insert(right ? text.begin() : text.end(), width - text.size(), ' ');
    }
    return text;
}

/// One line of the listing; long values push the later columns right rather than being cut.
std::string row(const std::string& id, const std::string& queue, const std::string& age, const std::string& reason) {
    return padded(id, 36) + "  " + padded(queue, 20) + "  " + padded(age, 7, true) + "  " + reason;
}

}  // namespace

int runCtlCommand(const CtlCommand& command, std::ostream& out, std::ostream& err) {
    if (command.action == CtlCommand::Action::kHelp) {
        out << ctlUsage();
        return kExitOk;
    }
    if (command.action == CtlCommand::Action::kVersion) {
        out << "micro-order-ctl " << MICRO_ORDER_VERSION << '\n';
        return kExitOk;
    }
    HostConfig config;
    try {
        config = loadHostConfig(command.configFile);
    } catch (const ConfigError& error) {
        for (const auto& problem : error.problems()) {
            err << problem << '\n';
        }
        return kExitConfig;
    }
    DeadLetterQueue queue(config.broker);
    try {
        if (command.action == CtlCommand::Action::kList) {
            const Poco::Timestamp now;
            std::size_t shown = 0;
            out << row("MESSAGE ID", "SOURCE QUEUE", "AGE", "REASON") << '\n';
            queue.list(command.filter, [&](const DeadLetter& letter) {
                // Everything here came from publishers: escaped, so it cannot forge lines.
                out << row(escapeBytes(letter.messageId.empty() ? "-" : letter.messageId, 64),
                           escapeBytes(letter.sourceQueue, 64), formatAge(letter.deadLetteredAt, now),
                           escapeBytes(letter.reason, 300))
                    << '\n';
                ++shown;
            });
            out << shown << " dead letter" << (shown == 1 ? "" : "s") << " shown, " << queue.depth() << " in "
                << kDeadLetterQueue << '\n';
            return kExitOk;
        }
        if (command.action == CtlCommand::Action::kReplay) {
            const auto outcome = queue.replay(command.filter, [&](const DeadLetter& letter, const std::string& newId) {
                out << "replayed " << escapeBytes(letter.messageId.empty() ? "-" : letter.messageId, 64) << " to '"
                    << escapeBytes(letter.sourceExchange, 64) << "'/'" << escapeBytes(letter.sourceRoutingKey, 64)
                    << "' as " << newId << '\n';
            });
            for (const auto& failure : outcome.failures) {
                err << "not replayed, left in the queue: " << escapeBytes(failure, 400) << '\n';
            }
            out << outcome.replayed << " replayed, " << queue.depth() << " left in " << kDeadLetterQueue << '\n';
            return outcome.failures.empty() ? kExitOk : kExitSoftware;
        }
        const std::size_t purged = queue.purge(command.filter);
        out << purged << " purged, " << queue.depth() << " left in " << kDeadLetterQueue << '\n';
        return kExitOk;
    } catch (const AmqpError& error) {
        err << "micro-order-ctl: " << error.what() << '\n';
        return kExitUnavailable;
    }
}

}  // namespace micro_order::host::ctl
