package io.popbridge.common.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for our POP3 and SMTP clients: the JDK trust store or a configured CA (PEM), and hostname verification
 * (RFC 2818 rules, as for HTTPS) whenever certificates are verified. Verification is switched off only where an
 * admin said so for that account or target.
 */
public final class ClientTls {
    private ClientTls() {
    }

    /** Parses PEM certificates; throws IllegalArgumentException if there are none or they are malformed. */
    public static Collection<? extends Certificate> parsePem(String pem) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate found in PEM");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage());
        }
    }

    /** @param customCaPem trusted CA certificates, or null/blank for the JDK's trust store */
    public static SSLContext context(boolean verifyCertificate, String customCaPem) throws GeneralSecurityException, IOException {
        TrustManager[] trust;
        if (!verifyCertificate) {
            trust = new TrustManager[] {new TrustAll()};
        } else if (customCaPem != null && !customCaPem.isBlank()) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : parsePem(customCaPem)) {
                store.setCertificateEntry("ca" + i++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            trust = factory.getTrustManagers();
        } else {
            trust = null; // the JDK default trust store
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    /** Client mode, and hostname verification when certificates are verified. */
    public static void configure(SSLSocket socket, boolean verifyCertificate) {
        socket.setUseClientMode(true);
        if (verifyCertificate) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
        }
    }

    /** Used only when an admin turned verification off. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
