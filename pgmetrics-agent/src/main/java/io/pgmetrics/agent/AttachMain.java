package io.pgmetrics.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.net.URISyntaxException;

/**
 * {@code java -jar pgmetrics-agent.jar <pid> [[host:]port[:config.yaml]]}: loads the agent into a
 * running JVM of the same user (JDK 21+ targets print a warning unless started with
 * {@code -XX:+EnableDynamicAgentLoading}). The agent then reads the target's environment, not this
 * command's. Exit codes: 0 loaded, 1 the target refused or could not be reached, 2 a usage mistake.
 */
public final class AttachMain {

    private AttachMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 1 || args.length > 2 || !args[0].matches("\\d+")) {
            System.err.println("usage: java -jar pgmetrics-agent.jar <pid> [[host:]port[:config.yaml]]");
            return 2;
        }
        String argument = args.length == 2 ? args[1] : "";
        try {
            AgentArguments.parse(argument); // say it here rather than only in the target's log
        } catch (IllegalArgumentException e) {
            System.err.println("pgmetrics agent: " + e.getMessage());
            return 2;
        }
        try {
            String jar = new File(AttachMain.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getAbsolutePath();
            VirtualMachine vm = VirtualMachine.attach(args[0]);
            try {
                vm.loadAgent(jar, argument);
            } finally {
                vm.detach();
            }
            System.out.println("pgmetrics agent loaded into JVM " + args[0] + "; its log says where it serves");
            return 0;
        } catch (URISyntaxException
                | java.io.IOException
                | com.sun.tools.attach.AttachNotSupportedException
                | com.sun.tools.attach.AgentLoadException
                | com.sun.tools.attach.AgentInitializationException e) {
            System.err.println("pgmetrics agent: cannot load into JVM " + args[0] + ": " + AgentLog.describe(e));
            return 1;
        }
    }
}
