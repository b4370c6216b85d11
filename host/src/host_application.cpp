#include "host_application.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>

#include "file_trust.hpp"
#include "host_config.hpp"
#include "log_escape.hpp"
#include "redact_url.hpp"
#include "service_host.hpp"
#include "service_user.hpp"
#include "socket_activation.hpp"
#include "systemd_log_formatter.hpp"
#include "systemd_notifier.hpp"

namespace micro_order::host {
namespace {

/// sysexits.h: the configuration is wrong; systemd and scripts can tell it from a crash.
constexpr int kExitConfig = 78;

/// Every connection costs a descriptor and the default soft limit is 1024: take the hard limit
/// (systemd's LimitNOFILE=), and say when even that is short of what max_connections needs.
void raiseOpenFileLimit(const HostConfig& config, Poco::Logger& logger) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    const rlim_t before = limit.rlim_cur;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            limit.rlim_cur = before;
        }
    }
    logger.debug("open file limit: %Lu (was %Lu, hard limit %Lu)", static_cast<Poco::UInt64>(limit.rlim_cur),
                 static_cast<Poco::UInt64>(before), static_cast<Poco::UInt64>(limit.rlim_max));
    rlim_t needed = 256;  // databases, broker connections, the process itself
    for (const auto& plugin : config.plugins) {
        if (plugin.listen) {
            needed += static_cast<rlim_t>(config.http.maxConnections);
        }
    }
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
        logger.warning(
            "open file limit %Lu is below the %Lu that http.max_connections on every listener needs; "
            "raise LimitNOFILE= (or ulimit -n) or lower max_connections",
            static_cast<Poco::UInt64>(limit.rlim_cur), static_cast<Poco::UInt64>(needed));
    }
}

}  // namespace

void HostApplication::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("config", "c", "YAML file to run (default /etc/micro-order/micro-order.yaml)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Poco::Util::Option("check-config", "",
                                         "validate the file, load and version-check every "
                                         "plugin it names, print what would run, and exit")
                          .required(false)
                          .repeatable(false));
    options.addOption(Poco::Util::Option("help", "h", "print this help and exit").required(false).repeatable(false));
    options.addOption(
        Poco::Util::Option("version", "", "print the version and exit").required(false).repeatable(false));
}

void HostApplication::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "config") {
        configFile_ = value;
    } else if (name == "check-config") {
        checkOnly_ = true;
    } else if (name == "help") {
        helpRequested_ = true;
        stopOptionsProcessing();
    } else if (name == "version") {
        versionRequested_ = true;
    }
}

void HostApplication::setUpLogging(const std::string& level) {
    // Under systemd the journal stamps time and host itself and wants the level as `<N>`.
    Poco::AutoPtr<Poco::Formatter> formatter;
    if (stderrIsJournal()) {
        formatter = new SystemdLogFormatter;
    } else {
        formatter = new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p [%s] %t");
    }
    // Whatever a message holds, it stays one line: data can never start a forged entry.
    formatter = new OneLineFormatter(formatter);
    Poco::AutoPtr<Poco::FormattingChannel> channel(
        new Poco::FormattingChannel(formatter, new Poco::ConsoleChannel(std::cerr)));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

int HostApplication::main(const std::vector<std::string>&) {
    if (helpRequested_) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("[--config FILE] [--check-config]");
        help.setHeader("micro-order-host: runs the micro-order plugins a YAML file names.");
        help.format(std::cout);
        return EXIT_OK;
    }
    if (versionRequested_) {
        std::cout << "micro-order-host " << MICRO_ORDER_VERSION << " (plugin ABI " << kAbiVersion << ")\n";
        return EXIT_OK;
    }
    HostConfig config;
    try {
        config = loadHostConfig(configFile_);
    } catch (const ConfigError& error) {
        for (const auto& problem : error.problems()) {
            std::cerr << problem << '\n';
        }
        return kExitConfig;
    }
    setUpLogging(config.logLevel);
    for (const auto& warning : config.warnings) {
        if (checkOnly_) {
            std::cerr << "warning: " << warning << '\n';
        } else {
            Poco::Logger::get("config").warning(warning);
        }
    }
    if (checkOnly_) {
        // Each library is loaded (its constructors run) only after its file passed the checks
        // the service would make, as the user the service would run as.
        if (::geteuid() == 0 && config.user) {
            try {
                becomeUser(*config.user);
            } catch (const PrivilegeError& error) {
                std::cerr << error.what() << '\n';
                return EXIT_SOFTWARE;
            }
        }
        std::vector<std::string> loaded;
        std::vector<std::string> notes;
        const auto problems = ServiceHost::checkPlugins(config, &loaded, &notes);
        for (const auto& problem : problems) {
            std::cerr << problem << '\n';
        }
        if (!problems.empty()) {
            return kExitConfig;
        }
        std::cout << configFile_ << ": OK\n";
        for (const auto& library : loaded) {
            std::cout << "loaded " << library << " as " << userName(::geteuid()) << '\n';
        }
        for (const auto& database : config.databases) {
            std::cout << "database " << database.name << ": " << database.connector << " " << databaseLocation(database)
                      << '\n';
        }
        for (const auto& plugin : config.plugins) {
            std::cout << "plugin " << plugin.name << ": " << plugin.libraryPath;
            if (plugin.listen) {
                std::cout << ", listen " << plugin.listen->host << ':' << plugin.listen->port;
                if (!plugin.listen->publicUrl.empty()) {
                    std::cout << " (public URL " << plugin.listen->publicUrl << ')';
                }
            }
            if (!plugin.database.empty()) {
                std::cout << ", database " << plugin.database;
            }
            std::cout << '\n';
        }
        for (const auto& note : notes) {
            std::cout << note << '\n';
        }
        std::cout << "broker " << redactUrl(config.broker.url);
        if (!config.broker.urlFile.empty()) {
            std::cout << " (from " << config.broker.urlFile << ")";
        }
        std::cout << '\n';
        return EXIT_OK;
    }
    // Block the signals we wait for before any thread exists, so every thread inherits the mask
    // and only the sigwait below ever sees them.
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGTERM, SIGINT, SIGHUP}) {
        sigaddset(&signals, signal);
    }
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Poco::Logger& logger = Poco::Logger::get("host");
    raiseOpenFileLimit(config, logger);
    // The host before the notifier: the notifier's watchdog thread looks into the host, so it
    // must stop first.
    ServiceHost host(config);
    SystemdNotifier notifier;
    try {
        host.start();
    } catch (const SocketActivationError& error) {
        logger.fatal("start-up failed: %s", std::string(error.what()));
        return kExitConfig;
    } catch (const UntrustedFileError& error) {
        // Fixing owners or modes takes an operator: a restart alone would fail the same way.
        logger.fatal("start-up failed: %s", std::string(error.what()));
        return kExitConfig;
    } catch (const StateFileOwnerError& error) {
        logger.fatal("start-up failed: %s", std::string(error.what()));
        return kExitConfig;
    } catch (const ConfigError& error) {
        // An instance's config: that its plugin's schema refuses: a config error, as at load.
        for (const auto& problem : error.problems()) {
            logger.fatal("%s", problem);
        }
        return kExitConfig;
    } catch (const std::exception& error) {
        logger.fatal("start-up failed: %s", std::string(error.what()));
        return EXIT_SOFTWARE;
    }
    notifier.feedWatchdogWhile([&host] { return host.eventLoopsTurn(); });
    notifier.ready("serving " + std::to_string(config.plugins.size()) + " plugin instances");
    for (;;) {
        int signal = 0;
        sigwait(&signals, &signal);
        if (signal != SIGHUP) {
            logger.information("received %s", std::string(strsignal(signal)));
            break;
        }
        notifier.reloading();
        try {
            const HostConfig next = loadHostConfig(configFile_);
            // A plugin config: its schema refuses would be "restart to apply" and then a
            // failed restart: refused now, like a file that does not parse.
            if (auto problems = ServiceHost::checkPlugins(next); !problems.empty()) {
                throw ConfigError(std::move(problems));
            }
            const auto needRestart = host.reload(next);
            notifier.ready(needRestart.empty() ? "reloaded" : "reloaded; some changes need a restart");
        } catch (const ConfigError& error) {
            // One entry per problem: a log message never spans lines.
            logger.error("reload refused, the running configuration stays: %z problem(s)", error.problems().size());
            for (const auto& problem : error.problems()) {
                logger.error("reload refused: %s", problem);
            }
            notifier.ready("reload refused: configuration error");
        }
    }
    notifier.stopping();
    host.stop();
    return EXIT_OK;
}

}  // namespace micro_order::host
